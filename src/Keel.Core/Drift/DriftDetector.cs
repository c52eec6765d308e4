using Keel.Statistics;

namespace Keel.Drift;

/// <summary>Compares a baseline set of runs with a current one on every metric and decides which drifted: each metric's test gives
/// a raw p-value, the Benjamini–Hochberg procedure adjusts them together (<see cref="MultipleTesting.BenjaminiHochberg"/>;
/// Benjamini &amp; Hochberg, JRSS B 57, 1995) and a metric drifted when its adjusted p-value is below the false discovery rate q.
/// Metrics with too few runs are reported <see cref="DriftVerdict.NotEnoughRuns"/> and left out of the correction. Pure and
/// thread-safe.</summary>
public static class DriftDetector
{
    /// <summary>Tests every metric.</summary>
    /// <param name="baseline">The baseline's runs (each once).</param>
    /// <param name="current">The current runs.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <param name="metrics">The metrics; <see langword="null"/> for <see cref="DriftMetrics.Standard"/>.</param>
    /// <returns>The report (inputs and agents empty: the caller knows them).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (<see cref="DriftOptions.Validate"/>).</exception>
    public static DriftReport Compare(IReadOnlyList<RunMetrics> baseline, IReadOnlyList<RunMetrics> current, DriftOptions? options = null, IReadOnlyList<DriftMetric>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        options ??= new DriftOptions();
        options.Validate();
        var results = (metrics ?? DriftMetrics.Standard).Select(m => m.Compare(baseline, current, options)).ToList();
        var tested = Enumerable.Range(0, results.Count).Where(i => results[i].PValue is not null).ToList();
        var adjusted = MultipleTesting.BenjaminiHochberg([.. tested.Select(i => results[i].PValue!.Value)]);
        for (var t = 0; t < tested.Count; t++)
        {
            var i = tested[t];
            results[i] = results[i] with
            {
                AdjustedPValue = adjusted[t],
                Verdict = adjusted[t] < options.FalseDiscoveryRate ? DriftVerdict.Drifted : DriftVerdict.NoDrift,
            };
        }

        return new DriftReport
        {
            BaselineRuns = baseline.Count,
            CurrentRuns = current.Count,
            FalseDiscoveryRate = options.FalseDiscoveryRate,
            MinRuns = options.MinRuns,
            CallsIndependent = options.TreatCallsAsIndependent,
            MetricsTested = tested.Count,
            Metrics = results,
        };
    }
}
