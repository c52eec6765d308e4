using System.Globalization;

namespace Keel.Drift;

/// <summary>One metric drift is tested on: it reads its observations from each side's <see cref="RunMetrics"/> and tests whether the
/// two sides differ. The result carries the raw p-value; <see cref="DriftDetector"/> adjusts it together with the other metrics' and
/// sets the verdict. Implementations are pure and thread-safe.</summary>
public abstract class DriftMetric
{
    /// <summary>Creates a metric.</summary>
    /// <param name="name">Machine name, e.g. <c>escalation_rate</c>.</param>
    /// <param name="description">What is measured, in a sentence.</param>
    /// <param name="unit">What one observation is, e.g. <c>runs</c>.</param>
    protected DriftMetric(string name, string description, string unit)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Description = description;
        Unit = unit;
    }

    /// <summary>Machine name.</summary>
    public string Name { get; }

    /// <summary>What is measured.</summary>
    public string Description { get; }

    /// <summary>What one observation is.</summary>
    public string Unit { get; }

    /// <summary>Compares the two sides.</summary>
    /// <param name="baseline">The baseline's runs.</param>
    /// <param name="current">The current runs.</param>
    /// <param name="options">Thresholds and the unit of resampling.</param>
    /// <returns>The comparison with its raw p-value when tested; the verdict is <see cref="DriftVerdict.NoDrift"/> until
    /// <see cref="DriftDetector"/> adjusts the p-values, or the reason it was not tested.</returns>
    public abstract MetricDrift Compare(IReadOnlyList<RunMetrics> baseline, IReadOnlyList<RunMetrics> current, DriftOptions options);

    /// <summary>A result with both sides and no test, for the given reason.</summary>
    protected MetricDrift Untested(MetricSide baseline, MetricSide current, DriftVerdict verdict, string? note, double? effect = null, string? effectName = null) => new()
    {
        Name = Name,
        Description = Description,
        Unit = Unit,
        Baseline = baseline,
        Current = current,
        Effect = effect,
        EffectName = effectName,
        Verdict = verdict,
        Note = note,
    };

    /// <summary>A tested result (verdict <see cref="DriftVerdict.NoDrift"/> until adjusted).</summary>
    protected MetricDrift Tested(MetricSide baseline, MetricSide current, Statistics.TestResult test, double effect, string effectName, string? note = null) =>
        Untested(baseline, current, DriftVerdict.NoDrift, note, effect, effectName) with
        {
            Test = test.Method,
            Statistic = test.Statistic,
            PValue = test.PValue,
        };

    /// <summary>The note of a metric with too few runs on a side.</summary>
    protected static string TooFewRuns(int baseline, int current, DriftOptions options) =>
        Format($"needs {options.MinRuns} runs per side (min runs); has {baseline} baseline and {current} current");

    /// <summary>Formats with the invariant culture.</summary>
    protected static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A rate as <c>12.9 % (4/31)</c>.</summary>
    protected static string Rate(int count, int total) =>
        total == 0 ? "-" : Format($"{100.0 * count / total:0.0} % ({count}/{total})");
}
