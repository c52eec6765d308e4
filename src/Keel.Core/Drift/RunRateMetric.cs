using Keel.Statistics;

namespace Keel.Drift;

/// <summary>A rate per run (escalation, abstention, task success): the two-proportion z-test with the pooled proportion
/// (<see cref="TwoProportion"/>), or Fisher's exact test (<see cref="FisherExact"/>) when an expected count of the 2 × 2 table is
/// below <see cref="DriftOptions.MinExpectedCount"/>. Effect: current − baseline.</summary>
/// <param name="name">Machine name.</param>
/// <param name="description">What is measured.</param>
/// <param name="outcome">Whether the run counts as an event; <see langword="null"/> when the metric does not apply to it (e.g. no reward).</param>
/// <param name="missing">What the note says when no run of either side applies, e.g. "no run has a reward".</param>
public sealed class RunRateMetric(string name, string description, Func<RunMetrics, bool?> outcome, string missing) : DriftMetric(name, description, "runs")
{
    /// <inheritdoc />
    public override MetricDrift Compare(IReadOnlyList<RunMetrics> baseline, IReadOnlyList<RunMetrics> current, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        var (k1, n1) = Count(baseline);
        var (k2, n2) = Count(current);
        var b = new MetricSide(n1 == 0 ? null : (double)k1 / n1, Rate(k1, n1), n1, n1);
        var c = new MetricSide(n2 == 0 ? null : (double)k2 / n2, Rate(k2, n2), n2, n2);
        if (n1 == 0 || n2 == 0)
        {
            return Untested(b, c, DriftVerdict.NotRecorded, n1 + n2 == 0 ? missing : $"{missing} on the {(n1 == 0 ? "baseline" : "current")} side");
        }

        var effect = c.Value!.Value - b.Value!.Value;
        if (n1 < options.MinRuns || n2 < options.MinRuns)
        {
            return Untested(b, c, DriftVerdict.NotEnoughRuns, TooFewRuns(n1, n2, options), effect, "difference");
        }

        if (k1 + k2 == 0 || k1 + k2 == n1 + n2)
        {
            // No run or every run counted on both sides: nothing to test, and a p of 1 would only weaken the correction of the others.
            return Untested(b, c, DriftVerdict.NoDrift, $"the same rate on both sides ({(k1 == 0 ? "no run" : "every run")} counted)", effect, "difference");
        }

        var pooled = (double)(k1 + k2) / (n1 + n2);
        var smallest = Math.Min(Math.Min(n1, n2) * pooled, Math.Min(n1, n2) * (1 - pooled));
        return smallest < options.MinExpectedCount
            ? Tested(b, c, FisherExact.Test(k1, n1, k2, n2), effect, "difference", Format($"an expected count is {smallest:0.#} (< {options.MinExpectedCount}): Fisher's exact test"))
            : Tested(b, c, TwoProportion.ZTest(k1, n1, k2, n2), effect, "difference");
    }

    private (int Events, int Runs) Count(IReadOnlyList<RunMetrics> runs)
    {
        int events = 0, applicable = 0;
        foreach (var run in runs)
        {
            if (outcome(run) is { } happened)
            {
                applicable++;
                events += happened ? 1 : 0;
            }
        }

        return (events, applicable);
    }
}
