using Keel.Bundles;
using Keel.Gateway;
using Keel.Model;
using Keel.Plans;
using Keel.TauTools.Tools;
using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Plans;

/// <summary>Keel's <see cref="ToolPlanPreviewer"/> against the real preview tools of keel-tau-tools, with the shipped airline bundle
/// (whose <c>cancel_reservation</c> declares <c>x-preview</c>): the plan a person reviews, and the check before apply.</summary>
public sealed class PlanThroughPreviewToolsTests
{
    private static readonly Lazy<AgentVersion> _agent = new(() => AgentBundleLoader.Load(Path.Combine(RepoPaths.Root, "samples", "tau-airline")));

    private static readonly DateTimeOffset _clock = new(2024, 5, 15, 15, 0, 0, TimeSpan.FromHours(-5));

    private static ToolCallContext Cancel(string reservationId) => new(
        new ToolCall("call_7", "cancel_reservation", $$"""{"reservation_id": "{{reservationId}}"}"""),
        new RunState(new Run("run-1", "acme", "tau-airline", "1.0.0", _clock)), _agent.Value, _clock, PipelineMode.Enforce);

    [Fact]
    public async Task PreviewAsync_CancelReservation_PlansTheRefundsAndTheStatus()
    {
        var toolbox = new TauToolbox(Tau.Database(TauDomain.Airline), previews: true);
        var history = toolbox.Call("get_reservation_details", """{"reservation_id": "YAX4DR"}""").Object()["payment_history"]!.AsArray();

        var result = await new ToolPlanPreviewer(new ToolboxExecutor(toolbox)).PreviewAsync(Cancel("YAX4DR"), TestContext.Current.CancellationToken);

        result.Succeeded.ShouldBeTrue(result.ToString());
        result.Preview.PreviewTool.ShouldBe("preview_cancel_reservation");
        result.Preview.Summary.Count.ShouldBe(history.Count + 1);
        result.Preview.Summary[^1].ShouldBe("add /reservations/YAX4DR/status: \"cancelled\"");
        result.Preview.Summary[0].ShouldStartWith($"add /reservations/YAX4DR/payment_history/{history.Count}: ");
        System.Text.Json.JsonElement.DeepEquals(JsonPatchDiff.Apply(result.Preview.Before, result.Preview.Patch), result.Preview.After).ShouldBeTrue();
    }

    [Fact]
    public async Task VerifyAsync_NothingChangedSinceTheReview_MayApply_ButAChangeToTheReservationRefuses()
    {
        var toolbox = new TauToolbox(Tau.Database(TauDomain.Airline), previews: true);
        var previewer = new ToolPlanPreviewer(new ToolboxExecutor(toolbox));
        var cancellationToken = TestContext.Current.CancellationToken;
        var reviewed = (await previewer.PreviewAsync(Cancel("YAX4DR"), cancellationToken)).Preview!.Digest;

        toolbox.Call("update_reservation_baggages", """{"reservation_id": "4WQ150", "total_baggages": 5, "nonfree_baggages": 1, "payment_id": "gift_card_3576581"}""").IsError.ShouldBeFalse();
        (await previewer.VerifyAsync(Cancel("YAX4DR"), reviewed, cancellationToken)).MayApply.ShouldBeTrue("a write to another reservation leaves this plan as reviewed");

        toolbox.Call("update_reservation_baggages", """{"reservation_id": "YAX4DR", "total_baggages": 2, "nonfree_baggages": 1, "payment_id": "credit_card_4938634"}""").IsError.ShouldBeFalse();
        var verification = await previewer.VerifyAsync(Cancel("YAX4DR"), reviewed, cancellationToken);

        verification.Status.ShouldBe(PlanVerificationStatus.Changed);
        verification.Current.Preview!.Summary.ShouldContain(line => line.Contains("\"amount\":-50", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PreviewAsync_WriteThatWouldFail_IsAToolErrorWithTheWritesText()
    {
        var toolbox = new TauToolbox(Tau.Database(TauDomain.Airline), previews: true);

        var result = await new ToolPlanPreviewer(new ToolboxExecutor(toolbox)).PreviewAsync(Cancel("NOPE00"), TestContext.Current.CancellationToken);

        result.Failure!.Kind.ShouldBe(PlanPreviewFailureKind.ToolError);
        result.Failure.Output.ShouldBe("Error: reservation not found");
    }

    [Fact]
    public async Task PreviewAsync_ServerWithoutPreviews_FailsAsAToolErrorNamingTheUnknownTool()
    {
        var result = await new ToolPlanPreviewer(new ToolboxExecutor(Tau.Airline())).PreviewAsync(Cancel("YAX4DR"), TestContext.Current.CancellationToken);

        result.Failure!.Kind.ShouldBe(PlanPreviewFailureKind.ToolError);
        result.Failure.Output.ShouldBe("Unknown action preview_cancel_reservation");
    }

    /// <summary>Calls the toolbox in process, as an MCP executor would call the server.</summary>
    private sealed class ToolboxExecutor(TauToolbox toolbox) : IToolExecutor
    {
        public ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken)
        {
            var outcome = toolbox.Call(context.Call.ToolName, context.Call.ArgumentsJson);
            return ValueTask.FromResult(new ToolResult(context.Call.Id, outcome.IsError ? ToolResultStatus.Error : ToolResultStatus.Ok, outcome.Text));
        }
    }
}
