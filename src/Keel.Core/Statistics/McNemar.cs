using MathNet.Numerics.Distributions;

namespace Keel.Statistics;

/// <summary>McNemar's test for paired pass/fail outcomes (McNemar, Psychometrika 12, 1947): only the discordant cases count —
/// <c>b</c> passed under the baseline and failed under the candidate, <c>c</c> the reverse. Pure and thread-safe.</summary>
/// <remarks>With fewer than <see cref="ExactBelow"/> discordant cases the exact test is used: two-sided binomial test of b among
/// b + c at p = ½, p = min(1, 2·P[X ≤ min(b, c)]) (the exact conditional test; Agresti, "Categorical Data Analysis", 2nd ed., 2002,
/// §10.1.4; statsmodels <c>mcnemar(exact=True)</c>). Otherwise the χ² statistic with Edwards' continuity correction,
/// (|b − c| − 1)² / (b + c) on 1 degree of freedom (Edwards, Psychometrika 13, 1948; statsmodels <c>mcnemar(exact=False,
/// correction=True)</c>). The cut-off 25 is the usual rule for when the χ² approximation is adequate (b + c ≥ 25; e.g. Rosner,
/// "Fundamentals of Biostatistics", §10.4, asks for b + c ≥ 20).</remarks>
public static class McNemar
{
    /// <summary>Discordant count below which the exact binomial test is used: 25.</summary>
    public const int ExactBelow = 25;

    /// <summary>Tests whether the two discordant counts differ.</summary>
    /// <param name="baselineOnly">b: cases that passed under the baseline only (≥ 0).</param>
    /// <param name="candidateOnly">c: cases that passed under the candidate only (≥ 0).</param>
    /// <returns>The result; method <c>mcnemar-exact</c> or <c>mcnemar-chi2-cc</c>. No discordant cases: p = 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public static TestResult Test(int baselineOnly, int candidateOnly)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(baselineOnly);
        ArgumentOutOfRangeException.ThrowIfNegative(candidateOnly);
        var n = baselineOnly + candidateOnly;
        if (n == 0)
        {
            return new TestResult(0, 1, "mcnemar-exact");
        }

        if (n < ExactBelow)
        {
            var k = Math.Min(baselineOnly, candidateOnly);
            var p = Math.Min(1, 2 * Binomial.CDF(0.5, n, k));
            return new TestResult(k, p, "mcnemar-exact");
        }

        var diff = Math.Abs(baselineOnly - candidateOnly) - 1.0;
        var chi2 = Math.Max(0, diff) * Math.Max(0, diff) / n;
        return new TestResult(chi2, 1 - ChiSquared.CDF(1, chi2), "mcnemar-chi2-cc", 1);
    }
}
