using System.Text.Json.Serialization;
using Keel.Drift;

namespace Keel.Triggers;

/// <summary>What a trigger says about the runs compared; written to JSON in snake_case.</summary>
public enum TriggerStatus
{
    /// <summary>A metric the trigger watches drifted in its bad direction, significant after the correction.</summary>
    [JsonStringEnumMemberName("fired")]
    Fired,

    /// <summary>Its metrics were tested and none drifted in the bad direction.</summary>
    [JsonStringEnumMemberName("quiet")]
    Quiet,

    /// <summary>No metric it watches could be tested: too few runs (<see cref="DriftOptions.MinRuns"/>) or expected counts on a side.
    /// Keel does not guess.</summary>
    [JsonStringEnumMemberName("not_enough_runs")]
    NotEnoughRuns,

    /// <summary>The recordings hold nothing it watches (no rewards, no write calls).</summary>
    [JsonStringEnumMemberName("not_recorded")]
    NotRecorded,
}

/// <summary>One trigger's verdict.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Status">The verdict.</param>
/// <param name="Reason">Why, in words: the metrics that fired with both sides and the adjusted p-value, or why nothing was tested.</param>
/// <param name="Metrics">The metrics the rule watches, as tested.</param>
public sealed record TriggerResult(TriggerRule Rule, TriggerStatus Status, string Reason, IReadOnlyList<MetricDrift> Metrics);

/// <summary>Every trigger's verdict on one comparison, and the drift report they were judged on.</summary>
/// <param name="Drift">The drift comparison over <see cref="TriggerMetrics.All"/>.</param>
/// <param name="Results">One result per rule, in the rules' order.</param>
public sealed record TriggerReport(DriftReport Drift, IReadOnlyList<TriggerResult> Results)
{
    /// <summary>The fired results.</summary>
    public IReadOnlyList<TriggerResult> Fired => [.. Results.Where(r => r.Status == TriggerStatus.Fired)];

    /// <summary>The fired rule with the strongest action (rollback, then pause_rollout, then alert; the first in file order among
    /// equals), or <see langword="null"/> when none fired. Only its action is applied.</summary>
    public TriggerResult? Strongest => Fired.OrderByDescending(r => r.Rule.Action).FirstOrDefault();
}
