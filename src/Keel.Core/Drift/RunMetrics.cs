namespace Keel.Drift;

/// <summary>What drift measures of one replayed run: the unit every drift test resamples, since runs — not messages or calls — are
/// what a baseline and a current window are made of (<see cref="RunMetricsExtractor"/> builds it).</summary>
public sealed record RunMetrics
{
    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>The run's domain or workflow class; <see langword="null"/> when unknown.</summary>
    public string? Domain { get; init; }

    /// <summary>Characters of each assistant message with text, in run order (messages that only carried tool calls are left out).</summary>
    public IReadOnlyList<int> ResponseLengths { get; init; } = [];

    /// <summary>The mean VADER compound of the customer's messages in [−1, 1]; <see langword="null"/> when the customer wrote nothing.</summary>
    public double? SentimentCompound { get; init; }

    /// <summary>The run's outcome tag (<c>outcome_resolved</c>, …); <see langword="null"/> when the run has none.</summary>
    public string? Outcome { get; init; }

    /// <summary>The run's topic tag (<c>topic:refund</c>, …); <see langword="null"/> when no topic of the agent's taxonomy matched.</summary>
    public string? Topic { get; init; }

    /// <summary>Whether the run was handed to a human: an escalation rule, a policy escalation, a safe stop or a handoff tool.</summary>
    public bool HandedOff { get; init; }

    /// <summary>Whether the agent abstained or refused and did nothing for the customer (the <c>outcome_deflected</c> tag).</summary>
    public bool Abstained { get; init; }

    /// <summary>The agent's tool calls with a recorded result.</summary>
    public int ToolCalls { get; init; }

    /// <summary>Of <see cref="ToolCalls"/>, those whose recorded result is an error.</summary>
    public int ToolErrors { get; init; }

    /// <summary>The agent's calls of write tools.</summary>
    public int WriteCalls { get; init; }

    /// <summary>Write calls Keel would have held for approval or a plan (<c>RequireApproval</c>, <c>RequirePlan</c>).</summary>
    public int WritesHeld { get; init; }

    /// <summary>Write calls Keel would have denied or escalated (<c>Deny</c>, <c>Escalate</c>).</summary>
    public int WritesDenied { get; init; }

    /// <summary>Whether a monitor found a high-severity failure in the run (<see cref="Model.FindingSeverity.High"/>: a claimed action
    /// that failed or never happened, a malformed call, instructions injected through tool output), escalation tags left out (they are
    /// counted by <see cref="HandedOff"/>).</summary>
    public bool HighSeverityFailure { get; init; }

    /// <summary>Operator takeovers recorded in the run (<c>takeover</c> intervention events; docs/intervention.md).</summary>
    public int Takeovers { get; init; }

    /// <summary>Whether the task succeeded (reward ≥ 1); <see langword="null"/> when the run has no reward.</summary>
    public bool? Succeeded { get; init; }

    /// <summary>The agent's model cost in USD as recorded; <see langword="null"/> when the recording has none.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>The agent's prompt + completion tokens as recorded; <see langword="null"/> when the recording has none.</summary>
    public long? Tokens { get; init; }
}
