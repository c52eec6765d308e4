using Keel.Statistics;

namespace Keel.Drift;

/// <summary>Cost per successful run (CPSR): the agent's recorded model cost over all runs with a reward, divided by the runs that
/// succeeded (reward ≥ 1), in USD — or in tokens when the recording has tokens but no cost. A ratio of two sums has no textbook
/// test, so the p-value comes from a permutation test on runs (Good, "Permutation, Parametric and Bootstrap Tests of Hypotheses",
/// 3rd ed., 2005, ch. 3): the two sides' runs are shuffled between them <see cref="Permutations"/> times with a fixed seed and
/// p = (1 + #{|ΔCPSR*| ≥ |ΔCPSR|}) / (1 + B) (Phipson &amp; Smyth, Stat. Appl. Genet. Mol. Biol. 9, 2010). A shuffled side with no
/// success has an infinite CPSR, which counts as at least as extreme. A side whose recorded costs are all 0 has not recorded them
/// (tau2-bench writes 0 for a model it has no price for); then tokens are compared if both sides have them. Effect: current − baseline.</summary>
public sealed class CostPerSuccessMetric() : DriftMetric("cost_per_successful_run", "the agent's recorded model cost (USD, or tokens when no cost is recorded) per run with reward ≥ 1 (CPSR)", "runs")
{
    /// <summary>Shuffles of the permutation test: 2,000 (Monte Carlo error of p near 0.05 about 0.005).</summary>
    public const int Permutations = 2_000;

    /// <summary>Seed of the shuffles: 12345, so the same runs give the same p-value.</summary>
    public const int Seed = 12345;

    /// <inheritdoc />
    public override MetricDrift Compare(IReadOnlyList<RunMetrics> baseline, IReadOnlyList<RunMetrics> current, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        // USD when both sides recorded a cost (a file whose costs are all 0 did not record them: tau2 leaves a fine-tuned model's cost
        // at 0), else tokens when both recorded tokens.
        var usd = baseline.Any(r => r.CostUsd > 0) && current.Any(r => r.CostUsd > 0);
        var tokens = baseline.Any(r => r.Tokens > 0) && current.Any(r => r.Tokens > 0);
        double? Cost(RunMetrics r) => usd ? (double?)r.CostUsd : tokens ? r.Tokens : null;
        var a = baseline.Where(r => r.Succeeded is not null && Cost(r) is not null).Select(r => (Cost(r)!.Value, r.Succeeded!.Value)).ToList();
        var z = current.Where(r => r.Succeeded is not null && Cost(r) is not null).Select(r => (Cost(r)!.Value, r.Succeeded!.Value)).ToList();
        var unit = usd ? "USD" : "tokens";
        var b = Side(a, unit);
        var c = Side(z, unit);
        if (a.Count == 0 || z.Count == 0)
        {
            return Untested(b, c, DriftVerdict.NotRecorded, $"not recorded: no run with a reward and a recorded cost or token count on {(a.Count + z.Count == 0 ? "either" : "the " + (a.Count == 0 ? "baseline" : "current"))} side");
        }

        var observed = Cpsr(a) is var x && Cpsr(z) is var y && double.IsFinite(x) && double.IsFinite(y) ? y - x : (double?)null;
        if (a.Count < options.MinRuns || z.Count < options.MinRuns)
        {
            return Untested(b, c, DriftVerdict.NotEnoughRuns, TooFewRuns(a.Count, z.Count, options), observed, "difference");
        }

        if (observed is null)
        {
            return Untested(b, c, DriftVerdict.NotEnoughRuns, "a side has no successful run, so its CPSR is undefined", null, "difference");
        }

        var p = PermutationPValue(a, z, Math.Abs(observed.Value));
        return Tested(b, c, new TestResult(observed.Value, p, "permutation"), observed.Value, "difference", $"in {unit}; {Permutations} permutations");
    }

    private static MetricSide Side(List<(double Cost, bool Succeeded)> runs, string unit)
    {
        if (runs.Count == 0)
        {
            return new MetricSide(null, "not recorded", 0, 0);
        }

        var cpsr = Cpsr(runs);
        var successes = runs.Count(r => r.Succeeded);
        var shown = !double.IsFinite(cpsr) ? "no success" : unit == "USD" ? Format($"{cpsr:0.####} USD") : Format($"{cpsr:0} tokens");
        return new MetricSide(double.IsFinite(cpsr) ? cpsr : null, Format($"{shown} ({successes} successes)"), runs.Count, runs.Count);
    }

    private static double Cpsr(IEnumerable<(double Cost, bool Succeeded)> runs)
    {
        double cost = 0;
        var successes = 0;
        foreach (var (c, s) in runs)
        {
            cost += c;
            successes += s ? 1 : 0;
        }

        return successes == 0 ? double.PositiveInfinity : cost / successes;
    }

    private static double PermutationPValue(List<(double Cost, bool Succeeded)> a, List<(double Cost, bool Succeeded)> z, double observed)
    {
        var all = a.Concat(z).ToArray();
        var random = new Random(Seed);
        var extreme = 0;
        for (var i = 0; i < Permutations; i++)
        {
            random.Shuffle(all);
            var difference = Math.Abs(Cpsr(all.Take(a.Count)) - Cpsr(all.Skip(a.Count)));
            extreme += double.IsNaN(difference) || difference >= observed - (1e-12 * Math.Max(1, observed)) ? 1 : 0;
        }

        return (1.0 + extreme) / (1.0 + Permutations);
    }
}
