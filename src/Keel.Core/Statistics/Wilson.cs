using MathNet.Numerics.Distributions;

namespace Keel.Statistics;

/// <summary>The Wilson score interval for a binomial proportion (Wilson, "Probable inference, the law of succession, and
/// statistical inference", JASA 22, 1927; without continuity correction, method 3 of Newcombe, Statistics in Medicine 17, 1998,
/// and <c>statsmodels.stats.proportion.proportion_confint(method="wilson")</c>). Unlike the normal (Wald) interval it stays
/// inside [0, 1] and keeps its coverage near 0 and 1 and for small samples. Pure and thread-safe.</summary>
public static class Wilson
{
    /// <summary>The interval for <paramref name="successes"/> out of <paramref name="trials"/>.</summary>
    /// <param name="successes">Successes, 0 ≤ successes ≤ trials.</param>
    /// <param name="trials">Trials, ≥ 0. With 0 trials the estimate is 0 and the interval is [0, 1] (nothing is known).</param>
    /// <param name="level">Confidence level in (0, 1). The default is 0.95.</param>
    /// <returns>The rate successes / trials with its interval.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, successes exceed trials, or the level is outside (0, 1).</exception>
    public static ConfidenceInterval Interval(int successes, int trials, double level = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        Levels.Check(level);
        if (trials == 0)
        {
            return new ConfidenceInterval(0, 0, 1, level);
        }

        var z = Normal.InvCDF(0, 1, 1 - ((1 - level) / 2));
        double n = trials;
        var p = successes / n;
        var z2 = z * z;
        var centre = (p + (z2 / (2 * n))) / (1 + (z2 / n));
        var half = z / (1 + (z2 / n)) * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n)));
        return new ConfidenceInterval(p, Math.Max(0, centre - half), Math.Min(1, centre + half), level);
    }
}
