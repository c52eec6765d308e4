using Keel.Statistics;

namespace Keel.Drift;

/// <summary>A categorical distribution with one category per run (outcome tag, topic): Pearson's χ² test of homogeneity
/// (<see cref="ChiSquareHomogeneity"/>) on the 2 × k table of counts, effect = Jensen–Shannon distance in base 2
/// (<see cref="JensenShannon"/>, 0 identical, 1 disjoint). Categories whose expected count on a side is below
/// <see cref="DriftOptions.MinExpectedCount"/> are pooled into <c>(other)</c> before the test (Cochran 1954), which is itself merged
/// into the smallest remaining category while it is still too small; the distance uses the categories as they are.</summary>
/// <param name="name">Machine name.</param>
/// <param name="description">What is measured.</param>
/// <param name="category">The run's category; <see langword="null"/> for <c>(none)</c>.</param>
public sealed class CategoricalMetric(string name, string description, Func<RunMetrics, string?> category) : DriftMetric(name, description, "runs")
{
    /// <summary>The category of a run that has none: <c>(none)</c>.</summary>
    public const string None = "(none)";

    /// <summary>The pooled category: <c>(other)</c>.</summary>
    public const string Other = "(other)";

    /// <summary>Categories shown per side: 3.</summary>
    public const int Shown = 3;

    /// <inheritdoc />
    public override MetricDrift Compare(IReadOnlyList<RunMetrics> baseline, IReadOnlyList<RunMetrics> current, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        var a = Counts(baseline);
        var z = Counts(current);
        var categories = a.Keys.Union(z.Keys).OrderByDescending(k => a.GetValueOrDefault(k) + z.GetValueOrDefault(k)).ThenBy(k => k, StringComparer.Ordinal).ToList();
        var b = Side(a, baseline.Count, categories);
        var c = Side(z, current.Count, categories);
        if (baseline.Count == 0 || current.Count == 0)
        {
            return Untested(b, c, DriftVerdict.NotRecorded, $"no runs on {(baseline.Count + current.Count == 0 ? "either" : "the " + (baseline.Count == 0 ? "baseline" : "current"))} side");
        }

        double[] p = [.. categories.Select(k => (double)a.GetValueOrDefault(k))], q = [.. categories.Select(k => (double)z.GetValueOrDefault(k))];
        var distance = JensenShannon.Distance(p, q, 2);
        if (baseline.Count < options.MinRuns || current.Count < options.MinRuns)
        {
            return Untested(b, c, DriftVerdict.NotEnoughRuns, TooFewRuns(baseline.Count, current.Count, options), distance, "js_distance");
        }

        if (categories.Count == 1)
        {
            return Untested(b, c, DriftVerdict.NoDrift, $"one category on both sides ({categories[0]})", distance, "js_distance");
        }

        var (table, pooled) = Pool(categories, a, z, options.MinExpectedCount);
        if (table[0].Count < 2)
        {
            return Untested(b, c, DriftVerdict.NotEnoughRuns, $"after pooling categories with an expected count below {options.MinExpectedCount}, fewer than two remain", distance, "js_distance");
        }

        var note = pooled == 0 ? null : $"{pooled} categories with an expected count below {options.MinExpectedCount} pooled";
        return Tested(b, c, ChiSquareHomogeneity.Test(table), distance, "js_distance", note);
    }

    private Dictionary<string, int> Counts(IReadOnlyList<RunMetrics> runs) =>
        runs.GroupBy(r => category(r) ?? None, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static MetricSide Side(Dictionary<string, int> counts, int runs, List<string> categories)
    {
        if (runs == 0)
        {
            return new MetricSide(null, "-", 0, 0);
        }

        var shown = categories.Where(counts.ContainsKey).OrderByDescending(k => counts[k]).ThenBy(k => k, StringComparer.Ordinal).Take(Shown)
            .Select(k => Format($"{k} {100.0 * counts[k] / runs:0} %"));
        var more = counts.Count > Shown ? $", +{counts.Count - Shown} more" : string.Empty;
        return new MetricSide(null, string.Join(", ", shown) + more, runs, runs);
    }

    private static (IReadOnlyList<IReadOnlyList<double>> Table, int Pooled) Pool(List<string> categories, Dictionary<string, int> a, Dictionary<string, int> z, double minExpected)
    {
        double totalA = a.Values.Sum(), totalZ = z.Values.Sum(), total = totalA + totalZ;
        var smallerSide = Math.Min(totalA, totalZ);
        bool Enough(double columnTotal) => smallerSide * columnTotal / total >= minExpected;

        var kept = new List<(double A, double Z)>();
        double otherA = 0, otherZ = 0;
        var pooled = 0;
        foreach (var k in categories)
        {
            double x = a.GetValueOrDefault(k), y = z.GetValueOrDefault(k);
            if (Enough(x + y))
            {
                kept.Add((x, y));
            }
            else
            {
                (otherA, otherZ, pooled) = (otherA + x, otherZ + y, pooled + 1);
            }
        }

        if (otherA + otherZ > 0)
        {
            if (Enough(otherA + otherZ) || kept.Count == 0)
            {
                kept.Add((otherA, otherZ));
            }
            else
            {
                // Still too small: merge it into the smallest kept category (categories are sorted, so the last).
                kept[^1] = (kept[^1].A + otherA, kept[^1].Z + otherZ);
            }
        }

        return ([kept.Select(k => k.A).ToList(), kept.Select(k => k.Z).ToList()], pooled);
    }
}
