namespace Keel.Statistics;

/// <summary>The result of a hypothesis test.</summary>
/// <param name="Statistic">The test statistic (χ², z, D, or the smaller discordant count for an exact McNemar test).</param>
/// <param name="PValue">The p-value in [0, 1].</param>
/// <param name="Method">Which test and variant produced it, e.g. <c>mcnemar-exact</c>, in words a report can print.</param>
/// <param name="DegreesOfFreedom">Degrees of freedom for χ² tests; 0 otherwise.</param>
public sealed record TestResult(double Statistic, double PValue, string Method, int DegreesOfFreedom = 0)
{
    /// <summary>Whether the p-value is below <paramref name="alpha"/>.</summary>
    /// <param name="alpha">Significance level. The default is 0.05.</param>
    /// <returns><see langword="true"/> when <see cref="PValue"/> &lt; alpha.</returns>
    public bool IsSignificant(double alpha = 0.05) => PValue < alpha;
}
