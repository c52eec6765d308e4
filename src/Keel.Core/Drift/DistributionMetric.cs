using Keel.Statistics;

namespace Keel.Drift;

/// <summary>A continuous distribution (response length, customer sentiment): the two-sample Kolmogorov–Smirnov test
/// (<see cref="KolmogorovSmirnov"/>), effect = KS distance D. A metric with several values per run (one per message) compares each
/// run's mean by default, so runs stay the unit; with <see cref="DriftOptions.TreatCallsAsIndependent"/> every value counts alone.
/// The value shown is the median of what is tested.</summary>
/// <param name="name">Machine name.</param>
/// <param name="description">What is measured.</param>
/// <param name="unit">What one value is, e.g. <c>assistant messages</c>.</param>
/// <param name="values">The run's values; empty when the metric does not apply to it.</param>
/// <param name="format">Formats a median, e.g. as characters.</param>
public sealed class DistributionMetric(string name, string description, string unit, Func<RunMetrics, IReadOnlyList<double>> values, Func<double, string> format) : DriftMetric(name, description, unit)
{
    /// <inheritdoc />
    public override MetricDrift Compare(IReadOnlyList<RunMetrics> baseline, IReadOnlyList<RunMetrics> current, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        var a = baseline.Select(values).Where(v => v.Count > 0).ToList();
        var z = current.Select(values).Where(v => v.Count > 0).ToList();
        var x = Sample(a, options);
        var y = Sample(z, options);
        var b = Side(x, a);
        var c = Side(y, z);
        if (x.Length == 0 || y.Length == 0)
        {
            return Untested(b, c, DriftVerdict.NotRecorded, $"no {Unit} on {(x.Length + y.Length == 0 ? "either" : "the " + (x.Length == 0 ? "baseline" : "current"))} side");
        }

        var test = KolmogorovSmirnov.TwoSample(x, y);
        if (a.Count < options.MinRuns || z.Count < options.MinRuns)
        {
            return Untested(b, c, DriftVerdict.NotEnoughRuns, TooFewRuns(a.Count, z.Count, options), test.Statistic, "ks_d");
        }

        var multiple = a.Concat(z).Any(v => v.Count > 1);
        var note = !multiple ? null : options.TreatCallsAsIndependent ? $"{Unit} treated as independent" : "compared as the mean per run";
        return Tested(b, c, test, test.Statistic, "ks_d", note);
    }

    private static double[] Sample(List<IReadOnlyList<double>> runs, DriftOptions options) =>
        options.TreatCallsAsIndependent ? [.. runs.SelectMany(v => v)] : [.. runs.Select(v => v.Average())];

    private MetricSide Side(double[] sample, List<IReadOnlyList<double>> runs)
    {
        if (sample.Length == 0)
        {
            return new MetricSide(null, "-", 0, 0);
        }

        var median = Median(sample);
        return new MetricSide(median, $"median {format(median)}", runs.Count, runs.Sum(v => v.Count));
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
