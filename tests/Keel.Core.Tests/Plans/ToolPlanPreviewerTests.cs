using System.Text.Json.Nodes;
using Keel.Core.Tests.Gateway;
using Keel.Gateway;
using Keel.Model;
using Keel.Plans;
using Keel.Tools;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Plans;

public sealed class ToolPlanPreviewerTests
{
    private const string ToolsJson = """
        {"tools": [
          {"type": "function", "x-tool-type": "WRITE", "x-preview": "preview_cancel_reservation", "function": {"name": "cancel_reservation",
            "description": "Cancel a reservation.", "parameters": {"type": "object", "properties": {"reservation_id": {"type": "string"}}, "required": ["reservation_id"]}}},
          {"type": "function", "x-tool-type": "WRITE", "function": {"name": "send_certificate", "description": "Send a certificate.",
            "parameters": {"type": "object", "properties": {"user_id": {"type": "string"}}, "required": ["user_id"]}}}
        ]}
        """;

    private const string Preview = """{"before": {"reservations": {"ZFA04Y": {"status": "active"}}}, "after": {"reservations": {"ZFA04Y": {"status": "cancelled"}}}}""";

    private static readonly AgentVersion _agent = GatewayKit.Agent() with { Tools = ToolCatalogLoader.Parse(JsonNode.Parse(ToolsJson), "tools.json") };

    private static ToolCallContext Context(string tool = "cancel_reservation", string arguments = """{"reservation_id": "ZFA04Y"}""", bool withTool = true, PipelineMode mode = PipelineMode.Enforce)
    {
        var context = new ToolCallContext(new ToolCall("call_1", tool, arguments), GatewayKit.NewRun(), _agent, GatewayKit.Clock, mode);
        if (withTool && _agent.Tools.TryGet(tool, out var definition))
        {
            context.Tool = definition;
        }

        return context;
    }

    private static async Task<PlanPreviewResult> PreviewAsync(IToolExecutor executor, ToolCallContext? context = null) =>
        await new ToolPlanPreviewer(executor).PreviewAsync(context ?? Context(), TestContext.Current.CancellationToken);

    [Fact]
    public async Task PreviewAsync_ToolWithPreview_CallsThePreviewToolWithTheSameArgumentsAndDerivedId()
    {
        var executor = new FakeToolExecutor { Output = Preview };

        var result = await PreviewAsync(executor);

        result.Succeeded.ShouldBeTrue(result.ToString());
        var call = executor.Received.ShouldHaveSingleItem();
        call.ShouldBe(new ToolCall("call_1:preview", "preview_cancel_reservation", """{"reservation_id": "ZFA04Y"}"""));
        result.Preview.Tool.ShouldBe("cancel_reservation");
        result.Preview.PreviewTool.ShouldBe("preview_cancel_reservation");
        result.Preview.Summary.ShouldBe(["replace /reservations/ZFA04Y/status: \"active\" → \"cancelled\""]);
        result.Failure.ShouldBeNull();
    }

    [Fact]
    public async Task PreviewAsync_ContextWithoutTool_FindsThePreviewInTheAgentsCatalog()
    {
        var executor = new FakeToolExecutor { Output = Preview };

        (await PreviewAsync(executor, Context(withTool: false))).Succeeded.ShouldBeTrue();
        executor.Received.ShouldHaveSingleItem().ToolName.ShouldBe("preview_cancel_reservation");
    }

    [Fact]
    public async Task PreviewAsync_ToolWithoutPreview_FailsWithoutCallingAnything()
    {
        var executor = new FakeToolExecutor { Output = Preview };

        var result = await PreviewAsync(executor, Context("send_certificate", """{"user_id": "u"}"""));

        result.Succeeded.ShouldBeFalse();
        result.Failure.Kind.ShouldBe(PlanPreviewFailureKind.NoPreview);
        result.Failure.PreviewTool.ShouldBeNull();
        result.Failure.Message.ShouldBe("tool 'send_certificate' declares no preview: add \"x-preview\": \"<preview tool>\" to its entry in tools.json");
        executor.Attempts.ShouldBe(0);
    }

    [Fact]
    public async Task PreviewAsync_ToolNotInTheCatalog_FailsWithNoPreview()
    {
        var result = await PreviewAsync(new FakeToolExecutor(), Context("drop_database", "{}"));

        result.Failure!.Kind.ShouldBe(PlanPreviewFailureKind.NoPreview);
        result.Failure.Message.ShouldBe("tool 'drop_database' is not in agent airline 1.0.0's catalog, so it has no preview");
    }

    [Fact]
    public async Task PreviewAsync_PreviewToolAnswersTheWritesError_FailsWithToolErrorAndKeepsTheText()
    {
        var result = await PreviewAsync(new FakeToolExecutor { FailuresBeforeSuccess = int.MaxValue, Error = "Error: reservation not found" });

        result.Failure!.Kind.ShouldBe(PlanPreviewFailureKind.ToolError);
        result.Failure.Output.ShouldBe("Error: reservation not found");
        result.Failure.Message.ShouldBe("the preview tool 'preview_cancel_reservation' answered an error: Error: reservation not found");
    }

    [Fact]
    public async Task PreviewAsync_AuditMode_HasNoRecordedPreviewAndFailsAsNotExecuted()
    {
        var result = await PreviewAsync(RecordedToolExecutor.Instance, Context(mode: PipelineMode.Audit));

        result.Failure!.Kind.ShouldBe(PlanPreviewFailureKind.NotExecuted);
        result.Failure.Message.ShouldBe("the preview tool 'preview_cancel_reservation' did not run: the recording has no result for this call");
    }

    [Theory]
    [InlineData("not json", "is not JSON (")]
    [InlineData("[1]", "is a JSON array, not an object")]
    [InlineData("""{"after": {}}""", "has no \"before\" field")]
    [InlineData("""{"diff": []}""", "has no \"before\" and no \"after\" field")]
    public async Task PreviewAsync_AnswerNotBeforeAndAfter_FailsNamingWhatWasWrong(string output, string what)
    {
        var result = await PreviewAsync(new FakeToolExecutor { Output = output });

        result.Failure!.Kind.ShouldBe(PlanPreviewFailureKind.MalformedOutput);
        result.Failure.Message.ShouldStartWith("the answer of the preview tool 'preview_cancel_reservation' " + what);
        result.Failure.Message.ShouldEndWith("a preview answers {\"before\": <records now>, \"after\": <records after the write>}");
        result.Failure.Output.ShouldBe(output);
    }

    [Fact]
    public async Task VerifyAsync_SamePlan_MayApply()
    {
        var executor = new FakeToolExecutor { Output = Preview };
        var reviewed = (await PreviewAsync(executor)).Preview!.Digest;

        var verification = await new ToolPlanPreviewer(executor).VerifyAsync(Context(), reviewed, TestContext.Current.CancellationToken);

        verification.Status.ShouldBe(PlanVerificationStatus.Unchanged);
        verification.MayApply.ShouldBeTrue();
        verification.Reason.ShouldBe($"the plan is the reviewed one ({reviewed})");
    }

    [Fact]
    public async Task VerifyAsync_DataChangedSinceTheReview_RefusesAndShowsTheNewPlan()
    {
        var reviewed = (await PreviewAsync(new FakeToolExecutor { Output = Preview })).Preview!.Digest;
        var changed = new FakeToolExecutor { Output = Preview.Replace("\"cancelled\"", "\"refunded\"", StringComparison.Ordinal) };

        var verification = await new ToolPlanPreviewer(changed).VerifyAsync(Context(), reviewed, TestContext.Current.CancellationToken);

        verification.Status.ShouldBe(PlanVerificationStatus.Changed);
        verification.MayApply.ShouldBeFalse();
        verification.Current.Preview!.Summary.ShouldBe(["replace /reservations/ZFA04Y/status: \"active\" → \"refunded\""]);
        verification.Reason.ShouldBe($"the plan changed since it was reviewed ({reviewed} → {verification.Current.Preview.Digest}): review it again");
    }

    [Fact]
    public async Task VerifyAsync_PreviewFails_RefusesFailClosed()
    {
        var failing = new FakeToolExecutor { FailuresBeforeSuccess = int.MaxValue, Error = "Error: reservation not found" };

        var verification = await new ToolPlanPreviewer(failing).VerifyAsync(Context(), "sha256:00", TestContext.Current.CancellationToken);

        verification.Status.ShouldBe(PlanVerificationStatus.Failed);
        verification.MayApply.ShouldBeFalse();
        verification.Reason.ShouldBe("the plan could not be checked again: the preview tool 'preview_cancel_reservation' answered an error: Error: reservation not found");
    }
}
