namespace Keel.Statistics;

/// <summary>The Jensen–Shannon distance between two discrete distributions (e.g. tag shares of two windows): the square root of
/// the Jensen–Shannon divergence ½KL(p‖m) + ½KL(q‖m), m = ½(p + q) (Lin, IEEE Trans. Inf. Theory 37, 1991; Endres &amp; Schindelin,
/// IEEE Trans. Inf. Theory 49, 2003, for the square root being a metric). Computed as <c>scipy.spatial.distance.jensenshannon</c>:
/// each vector is normalised to sum 1 first; natural logarithm unless a base is given (base 2 bounds the distance by 1). Pure and
/// thread-safe.</summary>
public static class JensenShannon
{
    /// <summary>The distance between <paramref name="p"/> and <paramref name="q"/>.</summary>
    /// <param name="p">Non-negative weights or counts per category, not all zero.</param>
    /// <param name="q">Same categories in the same order.</param>
    /// <param name="logBase">Logarithm base; <see langword="null"/> for e. The default is <see langword="null"/>.</param>
    /// <returns>0 for identical distributions, at most √ln 2 (natural log) or 1 (base 2).</returns>
    /// <exception cref="ArgumentException">The vectors differ in length, hold a negative value, or sum to 0.</exception>
    public static double Distance(IReadOnlyList<double> p, IReadOnlyList<double> q, double? logBase = null)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        if (p.Count != q.Count)
        {
            throw new ArgumentException($"Both distributions need the same categories; got {p.Count} and {q.Count}.", nameof(q));
        }

        var sp = Sum(p, nameof(p));
        var sq = Sum(q, nameof(q));
        var divergence = 0.0;
        for (var i = 0; i < p.Count; i++)
        {
            double pi = p[i] / sp, qi = q[i] / sq, mi = (pi + qi) / 2;
            divergence += (Term(pi, mi) + Term(qi, mi)) / 2;
        }

        if (logBase is { } b)
        {
            divergence /= Math.Log(b);
        }

        return Math.Sqrt(Math.Max(0, divergence));
    }

    private static double Term(double x, double m) => x > 0 ? x * Math.Log(x / m) : 0;

    private static double Sum(IReadOnlyList<double> values, string name)
    {
        if (values.Any(v => v < 0 || double.IsNaN(v)))
        {
            throw new ArgumentException("Weights must be non-negative numbers.", name);
        }

        var sum = values.Sum();
        return sum > 0 ? sum : throw new ArgumentException("A distribution needs a positive total weight.", name);
    }
}
