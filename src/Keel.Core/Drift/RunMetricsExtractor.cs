using Keel.Interventions;
using Keel.Model;
using Keel.Monitors;
using Keel.Replay;
using Keel.Tools;

namespace Keel.Drift;

/// <summary>Reads the drift metrics of one replayed run from Keel's record of it: messages, the monitors' tags, the decisions on
/// the agent's calls, the recorded results, the reward label and the recorded usage. Thread-safe.</summary>
public sealed class RunMetricsExtractor(SentimentMonitor sentiment)
{
    /// <summary>An extractor scoring sentiment with the shipped VADER lexicon.</summary>
    public RunMetricsExtractor()
        : this(new SentimentMonitor())
    {
    }

    /// <summary>The drift metrics of <paramref name="replayed"/>.</summary>
    /// <param name="replayed">A run replayed through <see cref="ReplayEngine"/>.</param>
    /// <returns>Its metrics.</returns>
    public RunMetrics Extract(ReplayedRun replayed)
    {
        ArgumentNullException.ThrowIfNull(replayed);
        var run = replayed.Run;
        var messages = run.Events.OfType<MessageEvent>().ToList();
        var customer = messages.Where(m => m.Role == MessageRole.User && m.Content.Any(char.IsLetterOrDigit)).Select(m => sentiment.Compound(m.Content)).ToList();
        var tags = replayed.Findings.Select(f => f.Type).ToList();
        var withResult = replayed.Calls.Where(c => c.Recorded is { Status: not ToolResultStatus.NotExecuted }).ToList();
        var writes = replayed.Calls.Where(c => c.ToolType == ToolType.Write).ToList();
        var usage = replayed.Recorded.Steps.Select(s => s.Usage).OfType<ModelUsage>().ToList();
        return new RunMetrics
        {
            RunId = run.Id,
            Domain = replayed.Recorded.Domain,
            ResponseLengths = [.. messages.Where(m => m.Role == MessageRole.Assistant && !string.IsNullOrWhiteSpace(m.Content)).Select(m => m.Content.Length)],
            SentimentCompound = customer.Count > 0 ? customer.Average() : null,
            Outcome = tags.FirstOrDefault(t => TagTypes.Outcomes.Contains(t)),
            Topic = tags.FirstOrDefault(t => t.StartsWith(TagTypes.TopicPrefix, StringComparison.Ordinal)),
            HandedOff = run.Handoff is not null || run.Status == RunStatus.HandedOff,
            Abstained = tags.Contains(TagTypes.OutcomeDeflected),
            ToolCalls = withResult.Count,
            ToolErrors = withResult.Count(c => c.Recorded!.Status == ToolResultStatus.Error),
            WriteCalls = writes.Count,
            WritesHeld = writes.Count(c => c.Decision.Kind is DecisionKind.RequireApproval or DecisionKind.RequirePlan),
            WritesDenied = writes.Count(c => c.Decision.Kind is DecisionKind.Deny or DecisionKind.Escalate),
            HighSeverityFailure = replayed.Findings.Any(f => f.Severity == FindingSeverity.High && f.Type != TagTypes.Escalation),
            Takeovers = run.Events.OfType<InterventionEvent>().Count(e => e.Action == InterventionActions.Takeover),
            Succeeded = replayed.Recorded.Labels.Reward is { } reward ? reward >= 1 : null,
            CostUsd = usage.Count > 0 ? usage.Sum(u => u.CostUsd) : null,
            Tokens = usage.Count > 0 ? usage.Sum(u => u.Tokens) : null,
        };
    }
}
