using System.Globalization;

namespace Keel.Drift;

/// <summary>The metrics <c>keel drift</c> tests, in the order it reports them (docs/drift.md).</summary>
public static class DriftMetrics
{
    /// <summary>The standard set: response length, customer sentiment, outcome tags, topics, escalation, abstention, tool errors,
    /// writes held and denied, task success rate and cost per successful run.</summary>
    public static IReadOnlyList<DriftMetric> Standard { get; } =
    [
        new DistributionMetric("response_length", "characters per assistant message with text", "assistant messages",
            r => [.. r.ResponseLengths.Select(n => (double)n)], v => v.ToString("0", CultureInfo.InvariantCulture) + " chars"),
        new DistributionMetric("customer_sentiment", "mean VADER compound of the customer's messages per run, in [-1, 1]", "runs",
            r => r.SentimentCompound is { } s ? [s] : [], v => v.ToString("0.###", CultureInfo.InvariantCulture)),
        new CategoricalMetric("outcome_tags", "the run's outcome tag (resolved, escalated, deflected, abandoned, failed)", r => r.Outcome),
        new CategoricalMetric("topics", "the run's topic tag from the agent's taxonomy, (none) when no topic matched", r => r.Topic),
        new RunRateMetric("escalation_rate", "runs handed to a human: an escalation rule, a policy escalation, a safe stop or a handoff tool", r => r.HandedOff, "no runs"),
        new RunRateMetric("abstention_rate", "runs in which the agent abstained or refused and did nothing (outcome_deflected)", r => r.Abstained, "no runs"),
        new CallRateMetric("tool_error_rate", "the agent's tool calls whose recorded result is an error", "tool calls", r => (r.ToolErrors, r.ToolCalls)),
        new CallRateMetric("approval_held_rate", "write calls Keel would hold for approval or a plan", "write calls", r => (r.WritesHeld, r.WriteCalls)),
        new CallRateMetric("denial_rate", "write calls Keel would deny or escalate", "write calls", r => (r.WritesDenied, r.WriteCalls)),
        new RunRateMetric("task_success_rate", "runs with reward >= 1 among runs with a reward (TSR)", r => r.Succeeded, "not recorded: no run has a reward"),
        new CostPerSuccessMetric(),
    ];
}
