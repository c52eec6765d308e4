using MathNet.Numerics.Distributions;

namespace Keel.Statistics;

/// <summary>Fisher's exact test of a 2 × 2 table (Fisher, "Statistical Methods for Research Workers", 1934, §21.02): conditional on
/// the margins, the count in the first cell is hypergeometric, and the two-sided p-value sums the probabilities of every table no
/// more probable than the observed one (R's <c>fisher.test</c>, SciPy's <c>fisher_exact</c>; relative tolerance 1e-7 for ties, as
/// R). Valid for any sample size: the test for rates when the expected counts are too small for the z-test (Cochran, Biometrics 10,
/// 1954: an expected count below 5). Pure and thread-safe.</summary>
public static class FisherExact
{
    /// <summary>Tests whether the rate successes1/trials1 differs from successes2/trials2.</summary>
    /// <param name="successes1">Successes in sample 1.</param>
    /// <param name="trials1">Size of sample 1 (&gt; 0).</param>
    /// <param name="successes2">Successes in sample 2.</param>
    /// <param name="trials2">Size of sample 2 (&gt; 0).</param>
    /// <returns>The statistic is the first cell (successes1); the two-sided p-value; method <c>fisher-exact</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A sample is empty or a count is out of range.</exception>
    public static TestResult Test(int successes1, int trials1, int successes2, int trials2)
    {
        TwoSamples.CheckCounts(successes1, trials1, successes2, trials2);
        var population = trials1 + trials2;
        var successes = successes1 + successes2;
        var low = Math.Max(0, trials1 - (population - successes));
        var high = Math.Min(trials1, successes);
        var observed = Hypergeometric.PMF(population, successes, trials1, successes1);
        var p = 0.0;
        for (var k = low; k <= high; k++)
        {
            var probability = Hypergeometric.PMF(population, successes, trials1, k);
            if (probability <= observed * (1 + 1e-7))
            {
                p += probability;
            }
        }

        return new TestResult(successes1, Math.Min(1, p), "fisher-exact");
    }
}
