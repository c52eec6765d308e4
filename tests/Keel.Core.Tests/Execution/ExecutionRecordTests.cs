using Keel.Failures;
using Keel.Model;
using Keel.Storage;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Execution.ExecutionKit;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Execution;

/// <summary>Execution events in the run's record: where they sit, their JSON, and what the handoff packet makes of them.</summary>
public sealed class ExecutionRecordTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExecuteAsync_RetriedCall_ExecutionEventsSitBetweenTheCallAndItsDecision()
    {
        var clock = new ManualTimeProvider();
        var state = NewRun();

        await EnforceAsync(clock, Pipeline(new ScriptedExecutor(ScriptedExecutor.Fail("503 Service Unavailable"), ScriptedExecutor.Ok), Plain, clock), state, Call(Read), cancellationToken: Ct);

        state.Run.Events.Select(e => RunEventJson.KindName(e.Kind)).ShouldBe(["tool_call", "execution", "execution", "execution", "decision", "tool_result"]);
        state.Run.Events.Select(e => e.Sequence).ShouldBe([1, 2, 3, 4, 5, 6]);
    }

    [Fact]
    public void Serialize_ExecutionEvent_WritesSnakeCaseAndReadsBack()
    {
        var at = new DateTimeOffset(2024, 5, 15, 15, 0, 0, TimeSpan.FromHours(-5));
        var scheduled = new ExecutionEvent("call_1", "get_reservation_details", 2, ExecutionOutcome.RetryScheduled, 0, 183.5, "attempt 1 timed out; retrying an idempotent tool") { Sequence = 3, Timestamp = at };

        var json = RunEventJson.Serialize(scheduled);

        json.ShouldBe("""{"kind":"execution","sequence":3,"timestamp":"2024-05-15T15:00:00-05:00","call_id":"call_1","tool_name":"get_reservation_details","attempt":2,"outcome":"retry_scheduled","duration_ms":0,"delay_ms":183.5,"detail":"attempt 1 timed out; retrying an idempotent tool"}""");
        RunEventJson.Deserialize(json).ShouldBe(scheduled);
        RunEventJson.Deserialize("execution", json).ShouldBe(scheduled);
        RunEventJson.Deserialize(RunEventJson.Serialize(scheduled with { Outcome = ExecutionOutcome.CircuitOpen, DelayMs = null })).ShouldBeOfType<ExecutionEvent>().Outcome.ShouldBe(ExecutionOutcome.CircuitOpen);
    }

    [Fact]
    public async Task Build_WriteTimedOut_HandoffPacketAsksToCheckTheWriteBeforeRepeatingIt()
    {
        var clock = new ManualTimeProvider();
        var state = NewRun();
        await EnforceAsync(clock, Pipeline(new ScriptedExecutor(ScriptedExecutor.Hang), Plain, clock), state, Call(Write), cancellationToken: Ct);

        var packet = HandoffPacketBuilder.Build(state.Run, "escalated", Team, ["transfer_to_human_agents"]);

        packet.ToolCalls.ShouldHaveSingleItem().ShouldEndWith("→ error [attempts: timeout]");
        packet.SuggestedNextAction.ShouldStartWith("check in the system behind cancel_reservation whether the call took effect before anyone repeats it");
        packet.Priority.ShouldBe("p1");
        packet.WhatFailed.ShouldHaveSingleItem().ShouldContain(FailureClassifier.OutcomeUnknown);
    }
}
