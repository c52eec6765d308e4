namespace Keel.Statistics;

/// <summary>Percentile bootstrap confidence intervals (Efron &amp; Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 13):
/// resample with replacement, take the mean of each resample, read the interval off the resampled means' percentiles. Seeded, so
/// the same input and seed give the same interval on every machine. Pure and thread-safe.</summary>
public static class Bootstrap
{
    /// <summary>Resamples drawn when none is given: 10,000, the order Efron &amp; Tibshirani recommend for percentile intervals
    /// (ch. 19: "B = 1000 or more" for percentiles; 10,000 keeps the 2.5 % tail's Monte Carlo error below 0.003 of a rate).</summary>
    public const int DefaultResamples = 10_000;

    /// <summary>Seed used when none is given: 12345, so reports are reproducible.</summary>
    public const int DefaultSeed = 12345;

    /// <summary>The percentile bootstrap interval for the mean of <paramref name="values"/>.</summary>
    /// <param name="values">The observations (any unit); at least one.</param>
    /// <param name="level">Confidence level in (0, 1). The default is 0.95.</param>
    /// <param name="resamples">Bootstrap resamples, ≥ 100. The default is <see cref="DefaultResamples"/>.</param>
    /// <param name="seed">Seed of the <see cref="Random"/> that draws resamples. The default is <see cref="DefaultSeed"/>.</param>
    /// <returns>The sample mean with its interval.</returns>
    /// <exception cref="ArgumentException">No values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The level or the number of resamples is out of range.</exception>
    public static ConfidenceInterval MeanInterval(IReadOnlyList<double> values, double level = 0.95, int resamples = DefaultResamples, int seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("A bootstrap needs at least one value.", nameof(values));
        }

        Levels.Check(level);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 100);
        var random = new Random(seed);
        var means = new double[resamples];
        var n = values.Count;
        for (var b = 0; b < resamples; b++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += values[random.Next(n)];
            }

            means[b] = sum / n;
        }

        Array.Sort(means);
        var alpha = (1 - level) / 2;
        return new ConfidenceInterval(values.Average(), Percentile(means, alpha), Percentile(means, 1 - alpha), level);
    }

    /// <summary>The paired bootstrap for a difference of means: the interval of mean(<paramref name="candidate"/>[i] −
    /// <paramref name="baseline"/>[i]), resampling the pairs (cases) together so each case's correlation is kept (Efron &amp;
    /// Tibshirani 1993, §15.2; Koehn, "Statistical significance tests for machine translation evaluation", EMNLP 2004).</summary>
    /// <param name="candidate">The candidate's score per case.</param>
    /// <param name="baseline">The baseline's score on the same cases in the same order.</param>
    /// <param name="level">Confidence level. The default is 0.95.</param>
    /// <param name="resamples">Resamples. The default is <see cref="DefaultResamples"/>.</param>
    /// <param name="seed">Seed. The default is <see cref="DefaultSeed"/>.</param>
    /// <returns>The mean difference (candidate − baseline) with its interval.</returns>
    /// <exception cref="ArgumentException">The lists differ in length or are empty.</exception>
    public static ConfidenceInterval PairedDifference(IReadOnlyList<double> candidate, IReadOnlyList<double> baseline, double level = 0.95, int resamples = DefaultResamples, int seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        if (candidate.Count != baseline.Count)
        {
            throw new ArgumentException($"Paired scores need one candidate and one baseline score per case; got {candidate.Count} and {baseline.Count}.", nameof(baseline));
        }

        var differences = new double[candidate.Count];
        for (var i = 0; i < differences.Length; i++)
        {
            differences[i] = candidate[i] - baseline[i];
        }

        return MeanInterval(differences, level, resamples, seed);
    }

    /// <summary>Linear interpolation between order statistics (Hyndman &amp; Fan 1996, definition 7; NumPy's default).</summary>
    internal static double Percentile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
