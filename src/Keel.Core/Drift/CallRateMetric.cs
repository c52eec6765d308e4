using Keel.Statistics;

namespace Keel.Drift;

/// <summary>A rate per tool call (tool errors, writes held, writes denied). By default runs are the clusters the calls come in and
/// the clustered z-test is used (<see cref="ClusteredProportion"/>); with <see cref="DriftOptions.TreatCallsAsIndependent"/> the
/// textbook two-proportion z-test over calls (Fisher's exact test for small expected counts). Effect: current − baseline.</summary>
/// <param name="name">Machine name.</param>
/// <param name="description">What is measured.</param>
/// <param name="unit">The calls counted, e.g. <c>tool calls</c>.</param>
/// <param name="counts">Per run: (events, calls).</param>
public sealed class CallRateMetric(string name, string description, string unit, Func<RunMetrics, (int Events, int Calls)> counts) : DriftMetric(name, description, unit)
{
    /// <inheritdoc />
    public override MetricDrift Compare(IReadOnlyList<RunMetrics> baseline, IReadOnlyList<RunMetrics> current, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        var a = baseline.Select(counts).Where(c => c.Calls > 0).ToList();
        var z = current.Select(counts).Where(c => c.Calls > 0).ToList();
        int k1 = a.Sum(c => c.Events), n1 = a.Sum(c => c.Calls), k2 = z.Sum(c => c.Events), n2 = z.Sum(c => c.Calls);
        var b = new MetricSide(n1 == 0 ? null : (double)k1 / n1, Rate(k1, n1), a.Count, n1);
        var c = new MetricSide(n2 == 0 ? null : (double)k2 / n2, Rate(k2, n2), z.Count, n2);
        if (n1 == 0 || n2 == 0)
        {
            return Untested(b, c, DriftVerdict.NotRecorded, $"no {Unit} on {(n1 + n2 == 0 ? "either" : "the " + (n1 == 0 ? "baseline" : "current"))} side");
        }

        var effect = c.Value!.Value - b.Value!.Value;
        if (a.Count < options.MinRuns || z.Count < options.MinRuns)
        {
            return Untested(b, c, DriftVerdict.NotEnoughRuns, TooFewRuns(a.Count, z.Count, options) + $" with {Unit}", effect, "difference");
        }

        if (k1 + k2 == 0 || k1 + k2 == n1 + n2)
        {
            return Untested(b, c, DriftVerdict.NoDrift, $"the same rate on both sides ({(k1 == 0 ? "no" : "every")} {Unit[..^1]} counted)", effect, "difference");
        }

        var pooled = (double)(k1 + k2) / (n1 + n2);
        var smallest = Math.Min(Math.Min(n1, n2) * pooled, Math.Min(n1, n2) * (1 - pooled));
        if (options.TreatCallsAsIndependent)
        {
            return smallest < options.MinExpectedCount
                ? Tested(b, c, FisherExact.Test(k1, n1, k2, n2), effect, "difference", Format($"an expected count is {smallest:0.#} (< {options.MinExpectedCount}): Fisher's exact test"))
                : Tested(b, c, TwoProportion.ZTest(k1, n1, k2, n2), effect, "difference", $"{Unit} treated as independent");
        }

        return smallest < options.MinExpectedCount
            ? Untested(b, c, DriftVerdict.NotEnoughRuns, Format($"an expected count of {Unit} is {smallest:0.#} (< {options.MinExpectedCount}); the clustered z-test needs more"), effect, "difference")
            : Tested(b, c, ClusteredProportion.ZTest(a, z), effect, "difference");
    }
}
