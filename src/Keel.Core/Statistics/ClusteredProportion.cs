using MathNet.Numerics.Distributions;

namespace Keel.Statistics;

/// <summary>The two-proportion z-test when the trials come in clusters (tool calls within runs): each rate is the ratio estimator
/// Σyᵢ / Σmᵢ over the clusters of its sample, and its variance is the between-cluster (linearization) variance of a ratio estimator,
/// n/(n − 1) · Σ(yᵢ − p̂·mᵢ)² / (Σmᵢ)² (Cochran, "Sampling Techniques", 3rd ed., 1977, §6.4 and §9A.3; the variance that survey
/// software such as R's <c>survey::svymean</c> uses for a clustered proportion; Rao &amp; Scott, Biometrics 48, 1992, for why the
/// plain test is anti-conservative when trials in one cluster are correlated). Under the null hypothesis the residuals use the
/// pooled proportion p̂, as the pooled z-test (<see cref="TwoProportion"/>). With one trial per cluster and large n it reduces to the
/// pooled z-test. Pure and thread-safe.</summary>
public static class ClusteredProportion
{
    /// <summary>Tests whether two clustered rates differ.</summary>
    /// <param name="sample1">Per cluster of sample 1: (successes, trials); clusters with no trial are ignored; at least two with trials.</param>
    /// <param name="sample2">The same for sample 2.</param>
    /// <returns>z = (p̂₁ − p̂₂) / √(V₁ + V₂) and its two-sided p-value, method <c>two-proportion-z-clustered</c>; p = 1 when the
    /// variance is 0 (every cluster at the pooled rate).</returns>
    /// <exception cref="ArgumentException">A sample has fewer than two clusters with trials, or a cluster has successes out of range.</exception>
    public static TestResult ZTest(IReadOnlyList<(int Successes, int Trials)> sample1, IReadOnlyList<(int Successes, int Trials)> sample2)
    {
        var a = Check(sample1, nameof(sample1));
        var b = Check(sample2, nameof(sample2));
        double y1 = a.Sum(c => c.Successes), m1 = a.Sum(c => c.Trials), y2 = b.Sum(c => c.Successes), m2 = b.Sum(c => c.Trials);
        var pooled = (y1 + y2) / (m1 + m2);
        var variance = Variance(a, pooled, m1) + Variance(b, pooled, m2);
        if (variance <= 0)
        {
            return new TestResult(0, 1, "two-proportion-z-clustered");
        }

        var z = ((y1 / m1) - (y2 / m2)) / Math.Sqrt(variance);
        return new TestResult(z, 2 * (1 - Normal.CDF(0, 1, Math.Abs(z))), "two-proportion-z-clustered");
    }

    private static double Variance(List<(int Successes, int Trials)> clusters, double rate, double trials)
    {
        var n = clusters.Count;
        var sum = clusters.Sum(c => Math.Pow(c.Successes - (rate * c.Trials), 2));
        return n / (n - 1.0) * sum / (trials * trials);
    }

    private static List<(int Successes, int Trials)> Check(IReadOnlyList<(int Successes, int Trials)> sample, string name)
    {
        ArgumentNullException.ThrowIfNull(sample, name);
        if (sample.Any(c => c.Successes < 0 || c.Trials < 0 || c.Successes > c.Trials))
        {
            throw new ArgumentException("Every cluster has 0 ≤ successes ≤ trials.", name);
        }

        var clusters = sample.Where(c => c.Trials > 0).ToList();
        return clusters.Count >= 2 ? clusters : throw new ArgumentException("A clustered rate needs at least two clusters with trials.", name);
    }
}
