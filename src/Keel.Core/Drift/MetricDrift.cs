namespace Keel.Drift;

/// <summary>One metric of one side (baseline or current).</summary>
/// <param name="Value">The metric's value (a rate in [0, 1], a median, a cost in USD or tokens); <see langword="null"/> when not recorded.</param>
/// <param name="Display">The value as a person reads it, e.g. <c>12.9 % (4/31)</c>, <c>median 214</c>.</param>
/// <param name="Runs">Runs the metric applies to on this side.</param>
/// <param name="Count">Observations: runs, tool calls, write calls or messages (<see cref="MetricDrift.Unit"/>).</param>
public sealed record MetricSide(double? Value, string Display, int Runs, int Count);

/// <summary>The drift test of one metric: both sides, the effect, the test, the raw and adjusted p-values and the verdict.</summary>
public sealed record MetricDrift
{
    /// <summary>Machine name, e.g. <c>escalation_rate</c> (<see cref="DriftMetrics"/>).</summary>
    public required string Name { get; init; }

    /// <summary>What is measured, in a sentence.</summary>
    public required string Description { get; init; }

    /// <summary>What one observation is: <c>runs</c>, <c>tool calls</c>, <c>write calls</c>, <c>assistant messages</c>.</summary>
    public required string Unit { get; init; }

    /// <summary>The baseline side.</summary>
    public required MetricSide Baseline { get; init; }

    /// <summary>The current side.</summary>
    public required MetricSide Current { get; init; }

    /// <summary>The effect size: current − baseline for rates and costs, the KS distance D for distributions, the Jensen–Shannon
    /// distance (base 2, in [0, 1]) for categorical ones; <see langword="null"/> when a side has no value.</summary>
    public double? Effect { get; init; }

    /// <summary>Which effect <see cref="Effect"/> is: <c>difference</c>, <c>ks_d</c>, <c>js_distance</c>.</summary>
    public string? EffectName { get; init; }

    /// <summary>The test that produced <see cref="PValue"/>, e.g. <c>two-proportion-z</c>, <c>fisher-exact</c>,
    /// <c>ks-2samp-asymp</c>, <c>chi2-homogeneity</c>; <see langword="null"/> when not tested.</summary>
    public string? Test { get; init; }

    /// <summary>The test statistic (z, D, χ²); <see langword="null"/> when not tested.</summary>
    public double? Statistic { get; init; }

    /// <summary>The raw p-value; <see langword="null"/> when not tested.</summary>
    public double? PValue { get; init; }

    /// <summary>The Benjamini–Hochberg adjusted p-value over every metric tested together; <see langword="null"/> when not tested.</summary>
    public double? AdjustedPValue { get; init; }

    /// <summary>The verdict.</summary>
    public required DriftVerdict Verdict { get; init; }

    /// <summary>Why a metric was not tested, or what the test pooled; <see langword="null"/> otherwise.</summary>
    public string? Note { get; init; }
}
