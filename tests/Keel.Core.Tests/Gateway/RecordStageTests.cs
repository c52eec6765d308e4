using System.Text.Json;
using Keel.Gateway;
using Keel.Model;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Gateway;

public sealed class RecordStageTests
{
    private static readonly ToolCallPipeline Audit = new ToolCallPipelineBuilder().AddStandardStages(ExecuteStage.Recorded, WorkspaceId).Build();

    [Fact]
    public async Task ExecuteAsync_AllowedCall_AppendsCallDecisionAndResultWithGapFreeSequences()
    {
        var tool = new FakeToolExecutor { Output = """{"reservation_id": "ABC123"}""" };
        var state = NewRun();
        state.AppendMessage(MessageRole.User, "Please look up ABC123.", Clock);
        var first = Call("get_reservation_details", """{"reservation_id": "ABC123"}""", "call_1");
        var second = Call("cancel_reservation", """{"reservation_id": "ABC123"}""", "call_2");

        await EnforceAsync(Pipeline(tool), state, Agent(), first);
        await EnforceAsync(Pipeline(tool), state, Agent(), second, Clock.AddMinutes(1));

        // In enforce mode the execute stage records each attempt between the call and its decision.
        var events = state.Run.Events;
        events.Select(e => e.Sequence).ShouldBe([1L, 2, 3, 4, 5, 6, 7, 8, 9]);
        events.Select(e => e.Kind).ShouldBe([
            RunEventKind.Message,
            RunEventKind.ToolCall, RunEventKind.Execution, RunEventKind.Decision, RunEventKind.ToolResult,
            RunEventKind.ToolCall, RunEventKind.Execution, RunEventKind.Decision, RunEventKind.ToolResult]);
        ((ToolCallEvent)events[1]).Call.ShouldBe(first);
        ((ExecutionEvent)events[2] with { DurationMs = 0 }).ShouldBe(new ExecutionEvent("call_1", "get_reservation_details", 1, ExecutionOutcome.Success, 0) { Sequence = 3, Timestamp = Clock });
        ((DecisionEvent)events[3]).CallId.ShouldBe("call_1");
        ((DecisionEvent)events[3]).Decision.Kind.ShouldBe(DecisionKind.Allow);
        var result = (ToolResultEvent)events[4];
        result.ToolName.ShouldBe("get_reservation_details");
        result.Result.ShouldBe(new ToolResult("call_1", ToolResultStatus.Ok, """{"reservation_id": "ABC123"}"""));
        events[5].Timestamp.ShouldBe(Clock.AddMinutes(1));
        ((DecisionEvent)events[7]).CallId.ShouldBe("call_2");
    }

    [Fact]
    public async Task ExecuteAsync_StoppedCall_IsStillRecordedWithItsFailurePointingAtTheResultEvent()
    {
        var state = NewRun();

        await EnforceAsync(Pipeline(new FakeToolExecutor()), state, Agent(), Call("delete_everything", "{}", "call_x"));

        state.Run.Events.Select(e => e.Kind).ShouldBe([RunEventKind.ToolCall, RunEventKind.Decision, RunEventKind.ToolResult]);
        state.Run.Events.OfType<ToolResultEvent>().Single().Result.ShouldBe(
            ToolResult.NotExecuted("call_x", ((DecisionEvent)state.Run.Events[1]).Decision.Reason));
        state.Run.Failures.ShouldHaveSingleItem().EventSequence.ShouldBe(3);
    }

    [Fact]
    public async Task ExecuteAsync_AuditMode_ReturnsAndRecordsTheRecordedResult()
    {
        var tool = new FakeToolExecutor();
        var state = NewRun();
        var call = Call("get_reservation_details", """{"reservation_id": "ABC123"}""");
        var recorded = new ToolResult(call.Id, ToolResultStatus.Ok, """{"reservation_id": "ABC123", "cabin": "business"}""", 0);

        var outcome = await AuditAsync(Audit, state, Agent(), call, recorded);

        outcome.Result.ShouldBe(recorded);
        state.Run.Events.OfType<ToolResultEvent>().Single().Result.ShouldBe(recorded);
        tool.Attempts.ShouldBe(0);
    }

    [Fact]
    public async Task ExecuteAsync_AuditModeDeniedCall_RecordsWhatHappenedBesideWhatKeelWouldHaveDecided()
    {
        const string rules = "policy: t\nversion: \"1\"\nrules:\n  - id: no-cancel\n    kind: tool_deny\n    tools: [cancel_reservation]\n    cite: c\n";
        var state = NewRun();
        var call = Call("cancel_reservation", """{"reservation_id": "ABC123"}""");
        var recorded = new ToolResult(call.Id, ToolResultStatus.Ok, """{"status": "cancelled"}""");

        var outcome = await AuditAsync(Audit, state, Agent(rules), call, recorded);

        outcome.Decision.Kind.ShouldBe(DecisionKind.Deny);
        outcome.Result.Status.ShouldBe(ToolResultStatus.NotExecuted);
        state.Run.Events.OfType<DecisionEvent>().Single().Decision.RuleId.ShouldBe("no-cancel");
        state.Run.Events.OfType<ToolResultEvent>().Single().Result.ShouldBe(recorded);
        state.Writes.ShouldBe(1);
    }

    [Fact]
    public async Task ExecuteAsync_SuccessfulRead_BecomesAFactUnderItsArgument()
    {
        var state = NewRun();
        var call = Call("get_reservation_details", """{"reservation_id": "ABC123"}""");

        await AuditAsync(Audit, state, Agent(), call, new ToolResult(call.Id, ToolResultStatus.Ok, """{"cabin": "business"}"""));

        var byKey = state.Facts["get_reservation_details"].ShouldBeAssignableTo<IReadOnlyDictionary<string, object?>>()!;
        ((JsonElement)byKey["ABC123"]!).GetProperty("cabin").GetString().ShouldBe("business");
    }

    [Fact]
    public async Task ExecuteAsync_FailedRead_DoesNotBecomeAFact()
    {
        var state = NewRun();
        var call = Call("get_reservation_details", """{"reservation_id": "ABC123"}""");

        await AuditAsync(Audit, state, Agent(), call, new ToolResult(call.Id, ToolResultStatus.Error, "Error: reservation not found"));

        state.Facts.ContainsKey("get_reservation_details").ShouldBeFalse();
    }
}
