using System.Text.Json.Serialization;

namespace Keel.Reports;

/// <summary>The escalation, topic and tag metrics of <c>report.json</c> <c>metrics</c> (and of each <c>by_domain[].metrics</c>), measured by
/// <see cref="Replay.EscalationAssessment"/>: "should go to a human" is a transfer among the task's expected actions. Shares are
/// <see langword="null"/> when the input has no such labels (docs/escalation.md).</summary>
public sealed partial record ReportMetrics
{
    /// <summary>Runs in which an escalation rule fired.</summary>
    [JsonPropertyOrder(2)]
    public int EscalatedRuns { get; init; }

    /// <summary>Runs whose expected actions are known (the escalation label exists).</summary>
    [JsonPropertyOrder(2)]
    public int EscalationLabelledRuns { get; init; }

    /// <summary>Labelled runs whose task expects a transfer to a human.</summary>
    [JsonPropertyOrder(2)]
    public int EscalationExpected { get; init; }

    /// <summary>Labelled runs Keel escalated that expect a transfer.</summary>
    [JsonPropertyOrder(2)]
    public int EscalationTruePositives { get; init; }

    /// <summary>Escalated labelled runs that expect a transfer / escalated labelled runs; <see langword="null"/> without labels or escalations.</summary>
    [JsonPropertyOrder(2)]
    public double? EscalationPrecision { get; init; }

    /// <summary>Escalated runs among those that expect a transfer / runs that expect one; <see langword="null"/> without labels or positives.</summary>
    [JsonPropertyOrder(2)]
    public double? EscalationRecall { get; init; }

    /// <summary>Harmonic mean of <see cref="EscalationPrecision"/> and <see cref="EscalationRecall"/>; <see langword="null"/> when either is.</summary>
    [JsonPropertyOrder(2)]
    public double? EscalationF1 { get; init; }

    /// <summary>Per escalation rule: runs it fired in, and how many of them expect a transfer.</summary>
    [JsonPropertyOrder(2)]
    public IReadOnlyDictionary<string, EscalationRuleStats> EscalationByRule { get; init; } = new Dictionary<string, EscalationRuleStats>();

    /// <summary>Labelled runs in which the agent transferred the customer although the task expects no transfer; <see langword="null"/> without labels.</summary>
    [JsonPropertyOrder(2)]
    public int? AgentTransfersNotNeeded { get; init; }

    /// <summary>The agent's own transfers as a predictor, for comparison: precision against the same label.</summary>
    [JsonPropertyOrder(2)]
    public double? AgentTransferPrecision { get; init; }

    /// <summary>The agent's own transfers: recall against the same label.</summary>
    [JsonPropertyOrder(2)]
    public double? AgentTransferRecall { get; init; }

    /// <summary>The agent's own transfers: F1 against the same label.</summary>
    [JsonPropertyOrder(2)]
    public double? AgentTransferF1 { get; init; }

    /// <summary>Runs with a topic label (tau2 telecom: the issue type in the task id).</summary>
    [JsonPropertyOrder(2)]
    public int TopicLabelledRuns { get; init; }

    /// <summary>Labelled runs whose topic tag equals the label / labelled runs; <see langword="null"/> without topic labels.</summary>
    [JsonPropertyOrder(2)]
    public double? TopicAccuracy { get; init; }

    /// <summary>Confusion matrix: label → predicted topic (<c>none</c> when untagged) → runs; <see langword="null"/> without topic labels.</summary>
    [JsonPropertyOrder(2)]
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>? TopicConfusion { get; init; }

    /// <summary>Labelled runs the optional LLM classifier answered for (<c>keel replay --classifier</c>, docs/classifier.md); 0 when it was off.</summary>
    [JsonPropertyOrder(2)]
    public int LlmTopicLabelledRuns { get; init; }

    /// <summary>Of <see cref="LlmTopicLabelledRuns"/>, the share whose LLM topic tag equals the label, beside the deterministic
    /// <see cref="TopicAccuracy"/>; <see langword="null"/> when the classifier was off or answered for no labelled run.</summary>
    [JsonPropertyOrder(2)]
    public double? LlmTopicAccuracy { get; init; }

    /// <summary>Runs per conversation tag (<see cref="Monitors.TagTypes"/>: <c>topic:*</c>, <c>outcome_*</c>, <c>customer_repeated_question</c>,
    /// <c>confused_customer</c>, <c>escalation</c>) of the deterministic monitors (the LLM classifier's tags are not counted here);
    /// a tag no run has is absent.</summary>
    [JsonPropertyOrder(2)]
    public IReadOnlyDictionary<string, int> Tags { get; init; } = new Dictionary<string, int>();
}

/// <summary>How often one escalation rule fired.</summary>
/// <param name="Fired">Runs it fired in.</param>
/// <param name="Expected">Of them, runs whose task expects a transfer (labelled runs only).</param>
public sealed record EscalationRuleStats(int Fired, int Expected);
