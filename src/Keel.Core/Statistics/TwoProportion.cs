using MathNet.Numerics.Distributions;

namespace Keel.Statistics;

/// <summary>The two-proportion z-test with the pooled proportion under the null hypothesis (Agresti 2002, §3.1.3; the default of
/// statsmodels <c>proportions_ztest</c>, two-sided). For independent samples, e.g. a rate this week against a pinned baseline;
/// for the same cases under two versions use <see cref="McNemar"/>. Pure and thread-safe.</summary>
public static class TwoProportion
{
    /// <summary>Tests whether two rates differ.</summary>
    /// <param name="successes1">Successes in sample 1.</param>
    /// <param name="trials1">Size of sample 1 (&gt; 0).</param>
    /// <param name="successes2">Successes in sample 2.</param>
    /// <param name="trials2">Size of sample 2 (&gt; 0).</param>
    /// <returns>z = (p1 − p2) / √(p(1 − p)(1/n1 + 1/n2)) and its two-sided p-value; p = 1 when both rates are 0 or both 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A sample is empty or a count is out of range.</exception>
    public static TestResult ZTest(int successes1, int trials1, int successes2, int trials2)
    {
        TwoSamples.CheckCounts(successes1, trials1, successes2, trials2);
        double n1 = trials1, n2 = trials2;
        var pooled = (successes1 + successes2) / (n1 + n2);
        var se = Math.Sqrt(pooled * (1 - pooled) * ((1 / n1) + (1 / n2)));
        if (se == 0)
        {
            return new TestResult(0, 1, "two-proportion-z");
        }

        var z = ((successes1 / n1) - (successes2 / n2)) / se;
        return new TestResult(z, 2 * (1 - Normal.CDF(0, 1, Math.Abs(z))), "two-proportion-z");
    }
}
