using System.Globalization;
using Keel.Drift;

namespace Keel.Triggers;

/// <summary>Judges rollout triggers on a drift comparison of a new version's runs against its baseline: every metric of
/// <see cref="TriggerMetrics.All"/> is tested once (<see cref="DriftDetector"/>, Benjamini–Hochberg at the false discovery rate q),
/// and a trigger fires when a metric it watches drifted in its bad direction. Pure and thread-safe.</summary>
public static class TriggerEvaluator
{
    /// <summary>Tests the metrics and judges every rule.</summary>
    /// <param name="baseline">The baseline's runs.</param>
    /// <param name="current">The new version's runs.</param>
    /// <param name="rules">The rules (<see cref="TriggerRule.Defaults"/> without a file).</param>
    /// <param name="options">Drift settings; <see langword="null"/> for the defaults (q = 0.05, 20 runs per side).</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static TriggerReport Evaluate(IReadOnlyList<RunMetrics> baseline, IReadOnlyList<RunMetrics> current, IReadOnlyList<TriggerRule> rules, DriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var drift = DriftDetector.Compare(baseline, current, options, TriggerMetrics.All);
        return new TriggerReport(drift, [.. rules.Select(rule => Judge(rule, drift))]);
    }

    /// <summary>The metrics a condition watches with their bad direction: +1 up, −1 down, 0 either way.</summary>
    /// <param name="condition">The condition.</param>
    /// <returns>(metric name, direction) pairs.</returns>
    public static IReadOnlyList<(string Metric, int Direction)> Watched(TriggerCondition condition) => condition switch
    {
        TriggerCondition.ClearRegression => [("task_success_rate", -1), ("tool_error_rate", +1), ("escalation_rate", +1)],
        TriggerCondition.HighSeverityFailuresUp => [(TriggerMetrics.HighSeverityFailureRate, +1)],
        TriggerCondition.ApprovalBoundaryDrift => [(TriggerMetrics.WriteGatedRate, 0)],
        _ => [(TriggerMetrics.RescueRate, +1)],
    };

    private static TriggerResult Judge(TriggerRule rule, DriftReport drift)
    {
        var watched = Watched(rule.Condition).Select(w => (w.Direction, Metric: drift.Metrics.Single(m => m.Name == w.Metric))).ToList();
        var metrics = watched.Select(w => w.Metric).ToList();
        var fired = watched.Where(w => w.Metric.Verdict == DriftVerdict.Drifted && w.Metric.Effect is { } e && (w.Direction == 0 || Math.Sign(e) == w.Direction))
            .Select(w => w.Metric).ToList();
        if (fired.Count > 0)
        {
            return new TriggerResult(rule, TriggerStatus.Fired, string.Join("; ", fired.Select(Describe)), metrics);
        }

        if (metrics.Any(m => m.Verdict is DriftVerdict.Drifted or DriftVerdict.NoDrift))
        {
            return new TriggerResult(rule, TriggerStatus.Quiet, string.Join("; ", metrics.Select(m => $"{m.Name} {m.Baseline.Display} -> {m.Current.Display}: {Verdict(m)}")), metrics);
        }

        var status = metrics.Any(m => m.Verdict == DriftVerdict.NotEnoughRuns) ? TriggerStatus.NotEnoughRuns : TriggerStatus.NotRecorded;
        return new TriggerResult(rule, status, string.Join("; ", metrics.Select(m => $"{m.Name}: {m.Note ?? Verdict(m)}")), metrics);
    }

    private static string Describe(MetricDrift m) => string.Create(CultureInfo.InvariantCulture,
        $"{m.Name} {m.Baseline.Display} -> {m.Current.Display} ({m.Test}, adjusted p = {m.AdjustedPValue:0.####})");

    private static string Verdict(MetricDrift m) => m.Verdict switch
    {
        DriftVerdict.Drifted => string.Create(CultureInfo.InvariantCulture, $"drifted the other way (adjusted p = {m.AdjustedPValue:0.####})"),
        DriftVerdict.NoDrift => m.AdjustedPValue is { } p ? string.Create(CultureInfo.InvariantCulture, $"no drift (adjusted p = {p:0.####})") : "no drift",
        DriftVerdict.NotEnoughRuns => "not enough runs",
        _ => "not recorded",
    };
}
