namespace Keel.Statistics;

/// <summary>The two-sample Kolmogorov–Smirnov test: D = sup |F₁(x) − F₂(x)| between the two empirical distribution functions,
/// with the asymptotic two-sided p-value Q_KS(√(n·m/(n+m))·D) of Smirnov's limiting distribution (Smirnov, Ann. Math. Statist.
/// 19, 1948; the same as <c>scipy.stats.ks_2samp(method="asymp")</c> up to SciPy's finite-n refinement). Suited to samples of
/// about 30 or more each; for smaller samples the p-value is approximate (conservative). Pure and thread-safe.</summary>
public static class KolmogorovSmirnov
{
    /// <summary>Tests whether two samples come from one continuous distribution (e.g. response lengths in characters).</summary>
    /// <param name="sample1">First sample, at least one value.</param>
    /// <param name="sample2">Second sample, at least one value.</param>
    /// <returns>D in [0, 1] and its p-value.</returns>
    /// <exception cref="ArgumentException">A sample is empty.</exception>
    public static TestResult TwoSample(IReadOnlyList<double> sample1, IReadOnlyList<double> sample2)
    {
        ArgumentNullException.ThrowIfNull(sample1);
        ArgumentNullException.ThrowIfNull(sample2);
        if (sample1.Count == 0 || sample2.Count == 0)
        {
            throw new ArgumentException("Both samples need at least one value.", sample1.Count == 0 ? nameof(sample1) : nameof(sample2));
        }

        var a = sample1.Order().ToArray();
        var b = sample2.Order().ToArray();
        int i = 0, j = 0;
        var d = 0.0;
        while (i < a.Length && j < b.Length)
        {
            var x = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] <= x)
            {
                i++;
            }

            while (j < b.Length && b[j] <= x)
            {
                j++;
            }

            d = Math.Max(d, Math.Abs(((double)i / a.Length) - ((double)j / b.Length)));
        }

        double n = a.Length, m = b.Length;
        var effective = Math.Sqrt(n * m / (n + m));
        return new TestResult(d, Survival(effective * d), "ks-2samp-asymp");
    }

    /// <summary>The Kolmogorov distribution's survival function Q(λ) = 2 Σₖ (−1)^(k−1) e^(−2k²λ²) (Kolmogorov 1933; table values:
    /// Q(1.358) ≈ 0.05, Q(1.628) ≈ 0.01).</summary>
    /// <param name="lambda">λ ≥ 0.</param>
    /// <returns>P[K &gt; λ] in [0, 1].</returns>
    public static double Survival(double lambda)
    {
        if (lambda < 0.2)
        {
            return 1;
        }

        var sum = 0.0;
        for (var k = 1; k <= 100; k++)
        {
            var term = Math.Exp(-2.0 * k * k * lambda * lambda);
            sum += (k % 2 == 1 ? 1 : -1) * term;
            if (term < 1e-16)
            {
                break;
            }
        }

        return Math.Clamp(2 * sum, 0, 1);
    }
}
