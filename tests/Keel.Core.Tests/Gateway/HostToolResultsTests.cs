using Keel.Gateway;
using Keel.Model;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Gateway;

/// <summary>A host's result of an allowed call on the run, and model usage on message events, as the run's state sees them live
/// and after a restore.</summary>
public sealed class HostToolResultsTests
{
    private static readonly ToolCallPipeline Audit = new ToolCallPipelineBuilder().AddStandardStages(ExecuteStage.Recorded, WorkspaceId).Build();

    [Fact]
    public async Task Record_AllowedReadTheHostRan_BecomesAFactLiveAndAfterRestore()
    {
        var (state, agent) = (NewRun(), Agent());
        var call = Call("get_reservation_details", """{"reservation_id": "ABC123"}""", "c1");
        await AuditAsync(Audit, state, agent, call, ToolResult.NotExecuted(call.Id, "no upstream"));
        state.Facts.ContainsKey("get_reservation_details").ShouldBeFalse();

        var recording = HostToolResults.Record(state, agent, "c1", ToolResultStatus.Ok, """{"status": "confirmed"}""", Clock);

        recording.Status.ShouldBe(HostResultStatus.Recorded);
        recording.Event!.Source.ShouldBe(ToolResultEvent.HostSource);
        state.Run.Events[^1].ShouldBe(recording.Event);
        state.Facts.ContainsKey("get_reservation_details").ShouldBeTrue();
        RunStateRestorer.Restore(state.Run, agent).Facts.ContainsKey("get_reservation_details").ShouldBeTrue();
    }

    [Fact]
    public async Task Record_HostError_IsClassifiedAsAToolFailure()
    {
        var (state, agent) = (NewRun(), Agent());
        var call = Call("cancel_reservation", """{"reservation_id": "ABC123"}""", "c2");
        await AuditAsync(Audit, state, agent, call, ToolResult.NotExecuted(call.Id, "no upstream"));
        var before = state.Run.Failures.Count;

        var recording = HostToolResults.Record(state, agent, "c2", ToolResultStatus.Error, "Error: reservation ABC123 not found", Clock);

        state.Run.Failures.Count.ShouldBe(before + 1);
        var failure = state.Run.Failures[^1];
        (failure.Class, failure.EventSequence).ShouldBe((FailureClass.ToolSemantic, recording.Event!.Sequence));
    }

    [Fact]
    public async Task Record_SameThenDifferentResult_IsAlreadyRecordedThenResultExists()
    {
        var (state, agent) = (NewRun(), Agent());
        var call = Call("get_reservation_details", """{"reservation_id": "ABC123"}""", "c3");
        await AuditAsync(Audit, state, agent, call, ToolResult.NotExecuted(call.Id, "no upstream"));
        var first = HostToolResults.Record(state, agent, "c3", ToolResultStatus.Ok, "ok", Clock);
        var count = state.Run.Events.Count;

        var again = HostToolResults.Record(state, agent, "c3", ToolResultStatus.Ok, "ok", Clock);
        var other = HostToolResults.Record(state, agent, "c3", ToolResultStatus.Ok, "changed", Clock);
        var unknown = HostToolResults.Record(state, agent, "nope", ToolResultStatus.Ok, "ok", Clock);

        (again.Status, again.Event).ShouldBe((HostResultStatus.AlreadyRecorded, first.Event));
        other.Status.ShouldBe(HostResultStatus.ResultExists);
        unknown.Status.ShouldBe(HostResultStatus.UnknownCall);
        state.Run.Events.Count.ShouldBe(count);
    }

    [Fact]
    public async Task Record_RetryAfterRestoreFromAStoreWithItsOwnRedactor_IsRecognisedByThatRedactor()
    {
        // The store sealed the host's result with an operator pattern that Redactor.Default does not know.
        var storeRedactor = new Keel.Redaction.Redactor(new Keel.Redaction.RedactionOptions { Patterns = [new("ticket", @"TCK-\d{6}")] });
        var (state, agent) = (NewRun(), Agent());
        var call = Call("get_reservation_details", """{"reservation_id": "ABC123"}""", "c4");
        await AuditAsync(Audit, state, agent, call, ToolResult.NotExecuted(call.Id, "no upstream"));
        const string output = "opened TCK-123456 for the customer";
        HostToolResults.Record(state, agent, "c4", ToolResultStatus.Ok, output, Clock, storeRedactor).Status.ShouldBe(HostResultStatus.Recorded);
        var stored = state.Run.Events[^1] as ToolResultEvent;
        var sealedResult = stored! with { Result = stored.Result with { Output = storeRedactor.Redact(output) } };
        sealedResult.Result.Output.ShouldNotContain("TCK-123456");
        var restored = new Run(state.Run.Id, state.Run.WorkspaceId, state.Run.AgentName, state.Run.AgentVersion, state.Run.StartedAt, state.Run.Channel);
        foreach (var runEvent in state.Run.Events)
        {
            restored.Append(ReferenceEquals(runEvent, stored) ? sealedResult : runEvent);
        }

        var restoredState = RunStateRestorer.Restore(restored, agent);

        HostToolResults.Record(restoredState, agent, "c4", ToolResultStatus.Ok, output, Clock, storeRedactor).Status.ShouldBe(HostResultStatus.AlreadyRecorded);
        HostToolResults.Record(restoredState, agent, "c4", ToolResultStatus.Ok, output, Clock).Status.ShouldBe(HostResultStatus.ResultExists);
    }

    [Fact]
    public void Restore_MessagesWithUsage_BringTheTokenAndCostCountersBack()
    {
        var state = NewRun();
        state.AppendMessage(new MessageEvent(MessageRole.Assistant, "Done.") { Timestamp = Clock, Usage = new MessageUsage(120, 0.5m) { InputTokens = 100, OutputTokens = 20 } });
        state.AppendMessage(new MessageEvent(MessageRole.User, "Thanks.") { Timestamp = Clock });

        var restored = RunStateRestorer.Restore(state.Run, Agent());

        (restored.Tokens, restored.CostUsd).ShouldBe((120L, 0.5m));
    }
}
