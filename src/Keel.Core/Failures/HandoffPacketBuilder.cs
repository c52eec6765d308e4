using Keel.Model;
using Keel.Monitors;

namespace Keel.Failures;

/// <summary>Builds the <see cref="HandoffPacket"/> for a run that ends in escalation or safe stop.</summary>
public static class HandoffPacketBuilder
{
    /// <summary>Messages kept in <see cref="HandoffPacket.ConversationTail"/>. Value: 12.</summary>
    public const int TailLength = 12;

    /// <summary>Builds the packet from the run's record.</summary>
    /// <param name="run">The run with its events and failures.</param>
    /// <param name="reason">Why it is handed over.</param>
    /// <param name="team">Target team.</param>
    /// <param name="handoffTools">Tools whose call is a transfer to a human (their summary argument is the agent's understanding).</param>
    /// <returns>The packet.</returns>
    public static HandoffPacket Build(Run run, string reason, string team, IReadOnlyList<string> handoffTools)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(handoffTools);
        var messages = run.Events.OfType<MessageEvent>().Where(m => m.Role != MessageRole.System && m.Content.Length > 0).ToList();
        var ask = messages.FirstOrDefault(m => m.Role == MessageRole.User && RepeatedQuestionMonitor.Words(m.Content).Count >= 4)
                  ?? messages.FirstOrDefault(m => m.Role == MessageRole.User);
        var results = run.Events.OfType<ToolResultEvent>().GroupBy(r => r.Result.CallId).ToDictionary(g => g.Key, g => g.Last().Result);
        var decisions = run.Events.OfType<DecisionEvent>().GroupBy(d => d.CallId).ToDictionary(g => g.Key, g => g.Last().Decision);
        var attempts = run.Events.OfType<ExecutionEvent>().Where(e => e.Outcome != ExecutionOutcome.RetryScheduled)
            .GroupBy(e => e.CallId).ToDictionary(g => g.Key, g => g.Select(e => Snake(e.Outcome)).ToList());
        var calls = run.Events.OfType<ToolCallEvent>().Select(c =>
        {
            var status = results.TryGetValue(c.Call.Id, out var r) ? Snake(r.Status) : "no result";
            var tried = attempts.TryGetValue(c.Call.Id, out var a) && a is not ["success"] ? $" [attempts: {string.Join(", ", a)}]" : string.Empty;
            var decided = decisions.TryGetValue(c.Call.Id, out var d) && d.Kind != DecisionKind.Allow ? $" [keel: {Snake(d.Kind)} by {d.RuleId}]" : string.Empty;
            return $"{c.Call.ToolName}({Shorten(c.Call.ArgumentsJson, 120)}) → {status}{tried}{decided}";
        }).ToList();
        var transfer = run.Events.OfType<ToolCallEvent>().LastOrDefault(c => handoffTools.Contains(c.Call.ToolName));
        var held = run.Failures.FirstOrDefault(f => f.Class == FailureClass.Policy && f.Disposition == Disposition.Escalate);
        var stop = run.Failures.FirstOrDefault(f => f.Class is FailureClass.Budget or FailureClass.Loop);
        var mismatch = run.Events.OfType<FindingEvent>().Any(f => f.Finding.Severity == FindingSeverity.High);
        var unknown = run.Failures.FirstOrDefault(f => f.Message.Contains(FailureClassifier.OutcomeUnknown, StringComparison.Ordinal));
        var next = held is not null ? $"review the held {held.ToolName} call ({held.RuleId}): {held.Message}; approve or deny it and tell the customer"
            : unknown is not null ? $"check in the system behind {unknown.ToolName} whether the call took effect before anyone repeats it ({unknown.Message}); then tell the customer"
            : stop is not null ? $"take over: the agent was stopped ({stop.Message}); finish the customer's request by hand"
            : transfer is not null ? "continue the customer's request from the agent's summary; nothing was left half-done by Keel"
            : "read the failures below and continue the conversation";
        return new HandoffPacket
        {
            RunId = run.Id,
            Reason = reason,
            CustomerAsk = ask?.Content ?? "(the customer said nothing)",
            AgentUnderstanding = transfer is null ? null : HumanTransferMonitor.Summary(transfer.Call),
            ConversationTail = [.. messages.Skip(Math.Max(0, messages.Count - TailLength)).Select(m => $"{Snake(m.Role)}: {Shorten(m.Content, 400)}")],
            ToolCalls = calls,
            WhatFailed = [.. run.Failures.Select(f => $"{Snake(f.Class)} ({Snake(f.Disposition)}): {f.Message}")],
            SuggestedNextAction = next,
            TargetTeam = team,
            Priority = mismatch || held is not null || unknown is not null ? "p1" : stop is not null ? "p2" : "p3",
        };
    }

    internal static string Snake<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
