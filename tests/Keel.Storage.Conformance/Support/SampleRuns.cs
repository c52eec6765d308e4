using Keel.Model;

namespace Keel.Storage.Conformance.Support;

/// <summary>Runs with every event kind and every optional field, set and unset, for round-trip tests.</summary>
public static class SampleRuns
{
    public static readonly DateTimeOffset Start = new(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(2));

    public static HandoffPacket Packet(string runId) => new()
    {
        RunId = runId,
        Reason = "cancel_reservation was denied: booked more than 24 h ago",
        CustomerAsk = "Please cancel my flight ZFA04Y — \"ASAP\"",
        AgentUnderstanding = null,
        ConversationTail = ["user: cancel it", "assistant: I can't do that, transferring you"],
        ToolCalls = ["get_reservation_details({\"reservation_id\":\"ZFA04Y\"}) → ok"],
        WhatFailed = ["policy: airline.cancel.eligibility"],
        SuggestedNextAction = "Offer a travel credit",
        TargetTeam = "support-tier2",
        Priority = "p2",
    };

    /// <summary>A run with every event kind, two failures and a handoff packet; timestamps carry a +02:00 offset and sub-millisecond ticks.</summary>
    public static Run Full(string id = "run-1", string workspaceId = "ws-a", DateTimeOffset? startedAt = null)
    {
        var start = startedAt ?? Start;
        var run = new Run(id, workspaceId, "tau-airline", "v3", start, "web") { WorkflowClass = "airline", Status = RunStatus.HandedOff };
        var t = start;
        DateTimeOffset Next() => t = t.AddTicks(15_001_234);

        run.Append(new MessageEvent(MessageRole.System, "You are an airline agent.\nBe brief.") { Timestamp = Next() });
        run.Append(new MessageEvent(MessageRole.User, "Cancel ZFA04Y, merci ✈️ \"now\"") { Timestamp = Next() });
        run.Append(new ToolCallEvent(new ToolCall("call_1", "get_reservation_details", "{\"reservation_id\":\"ZFA04Y\"}")) { Timestamp = Next() });
        run.Append(new DecisionEvent("call_1", Decision.Allowed) { Timestamp = Next() });
        run.Append(new ToolResultEvent(new ToolResult("call_1", ToolResultStatus.Ok, "{\"status\":\"booked\"}", 12.75), "get_reservation_details") { Timestamp = Next() });
        run.Append(new ToolCallEvent(new ToolCall("call_2", "cancel_reservation", "{\"reservation_id\":\"ZFA04Y\"", 1, 2, TurnHasText: true)) { Timestamp = Next() });
        run.Append(new DecisionEvent("call_2", new Decision(DecisionKind.RequireApproval, "policy", "airline.cancel.eligibility", "2024-05", "needs approval")) { Timestamp = Next() });
        run.Append(new ApprovalEvent("call_2", "requested") { Timestamp = Next() });
        run.Append(new ApprovalEvent("call_2", "denied", "ana@example.com: outside window") { Timestamp = Next() });
        run.Append(new ToolResultEvent(ToolResult.NotExecuted("call_2", "approval denied"), "cancel_reservation") { Timestamp = Next() });
        run.Append(new InterventionEvent("pause", "ana") { Timestamp = Next() });
        run.Append(new FindingEvent(new Finding("claim_result_mismatch", FindingSeverity.High, "claimed a cancellation that did not happen", [6, 10], "claims")) { Timestamp = Next() });
        run.Append(new HandoffEvent(Packet(id)) { Timestamp = Next() });
        run.Append(new MessageEvent(MessageRole.Operator, "Hi, I'm taking over.") { Timestamp = Next() });
        run.Append(new ExecutionEvent("call_3", "get_reservation_details", 2, ExecutionOutcome.RetryScheduled, 0, 183.25, "attempt 1 timed out; retrying an idempotent tool") { Timestamp = Next() });

        run.AddFailure(new Failure(FailureClass.ApprovalDenied, Disposition.Escalate, "approval denied", 9, "cancel_reservation", "airline.cancel.eligibility", 0, "support-tier2", ImpliesNarrowerPermissions: true));
        run.AddFailure(new Failure(FailureClass.Incomplete, Disposition.SafeStop, "run ended without finishing"));
        run.Handoff = Packet(id) with { AgentUnderstanding = "customer wants a refund" };
        return run;
    }

    /// <summary>A small run: one message per event, <paramref name="events"/> events.</summary>
    public static Run Small(string id, string workspaceId = "ws-a", DateTimeOffset? startedAt = null, int events = 2)
    {
        var start = startedAt ?? Start;
        var run = new Run(id, workspaceId, "agent", "v1", start);
        for (var i = 0; i < events; i++)
        {
            run.Append(new MessageEvent(i % 2 == 0 ? MessageRole.User : MessageRole.Assistant, $"message {i} of {id}") { Timestamp = start.AddSeconds(i) });
        }

        return run;
    }
}
