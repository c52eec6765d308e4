using Keel.Statistics;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Statistics;

public sealed class HypothesisTestTests
{
    [Fact]
    public void McNemar_SmallDiscordantCounts_UsesExactBinomial()
    {
        // By hand: b = 1, c = 9, n = 10; P[X ≤ 1] = (1 + 10) / 2^10, two-sided p = 22 / 1024.
        var result = McNemar.Test(9, 1);

        result.Method.ShouldBe("mcnemar-exact");
        result.PValue.ShouldBe(22.0 / 1024, 1e-12);
    }

    [Fact]
    public void McNemar_FiveDiscordantAllOneWay_IsNotSignificant()
    {
        // 2 · 0.5^5 = 0.0625: five regressions and no improvement are not enough at α = 0.05.
        var result = McNemar.Test(5, 0);

        result.PValue.ShouldBe(0.0625, 1e-12);
        result.IsSignificant().ShouldBeFalse();
    }

    [Fact]
    public void McNemar_LargeDiscordantCounts_UsesChiSquareWithContinuityCorrection()
    {
        // Agresti, Categorical Data Analysis (2nd ed., 2002), Table 10.1: approval of the Prime Minister in two surveys of the same
        // 1600 people; discordant cells 150 and 86. Agresti gives z = -4.17 (z² = 17.36) without correction, P < 0.001; with
        // Edwards' correction χ² = (|150 - 86| - 1)² / 236 = 16.818.
        var result = McNemar.Test(150, 86);

        result.Method.ShouldBe("mcnemar-chi2-cc");
        result.Statistic.ShouldBe(3969.0 / 236, 1e-9);
        result.PValue.ShouldBeLessThan(0.001);
        result.PValue.ShouldBeGreaterThan(1e-5);
    }

    [Fact]
    public void McNemar_NoDiscordantCases_PValueOne()
    {
        McNemar.Test(0, 0).PValue.ShouldBe(1.0);
    }

    [Fact]
    public void TwoProportion_StatsmodelsExample_PValueMatches()
    {
        // statsmodels.stats.proportion.proportions_ztest docstring: count = [5, 12], nobs = [83, 99] → p-value 0.159 (3 decimals).
        var result = TwoProportion.ZTest(5, 83, 12, 99);

        result.PValue.ShouldBe(0.159, 0.0005);
        result.Statistic.ShouldBeLessThan(0);
    }

    [Fact]
    public void ChiSquareHomogeneity_ScipyExample_MatchesStatisticAndPValue()
    {
        // scipy.stats.chi2_contingency docstring: [[10, 10, 20], [20, 20, 20]] → statistic 2.7777777777777777,
        // pvalue 0.24935220877729619, dof 2.
        var result = ChiSquareHomogeneity.Test([[10, 10, 20], [20, 20, 20]]);

        result.Statistic.ShouldBe(2.7777777777777777, 1e-12);
        result.PValue.ShouldBe(0.24935220877729619, 1e-9);
        result.DegreesOfFreedom.ShouldBe(2);
    }

    [Fact]
    public void ChiSquareHomogeneity_EmptyCategory_IsDropped()
    {
        var result = ChiSquareHomogeneity.Test([[10, 0, 10, 20], [20, 0, 20, 20]]);

        result.DegreesOfFreedom.ShouldBe(2);
        result.Statistic.ShouldBe(2.7777777777777777, 1e-12);
    }

    [Theory]
    // The Kolmogorov distribution's upper quantiles (e.g. Smirnov 1948, Table 1; the two-sample critical values c(α) = 1.358
    // for α = 0.05 and 1.628 for α = 0.01 in every KS table).
    [InlineData(1.358, 0.05)]
    [InlineData(1.628, 0.01)]
    [InlineData(1.224, 0.10)]
    public void KolmogorovSurvival_TableCriticalValues_GiveTheirAlpha(double lambda, double alpha)
    {
        KolmogorovSmirnov.Survival(lambda).ShouldBe(alpha, 0.0005);
    }

    [Fact]
    public void KolmogorovSmirnov_DisjointSamples_DIsOne()
    {
        var result = KolmogorovSmirnov.TwoSample([1, 2, 3, 4, 5, 6, 7, 8], [9, 10, 11, 12, 13, 14, 15, 16]);

        result.Statistic.ShouldBe(1.0);
        result.PValue.ShouldBe(KolmogorovSmirnov.Survival(2.0), 1e-12);
    }

    [Fact]
    public void KolmogorovSmirnov_InterleavedSamples_SmallD()
    {
        // By hand: ECDFs of {1,3,5,7} and {2,4,6,8} differ by at most 1/4.
        var result = KolmogorovSmirnov.TwoSample([1, 3, 5, 7], [2, 4, 6, 8]);

        result.Statistic.ShouldBe(0.25, 1e-12);
        result.PValue.ShouldBeGreaterThan(0.99);
    }

    [Fact]
    public void JensenShannon_ScipyExamples_MatchDocumentedValues()
    {
        // scipy.spatial.distance.jensenshannon docstring.
        JensenShannon.Distance([1.0, 0.0, 0.0], [0.0, 1.0, 0.0], 2.0).ShouldBe(1.0, 1e-12);
        JensenShannon.Distance([1.0, 0.0], [0.5, 0.5]).ShouldBe(0.46450140402245893, 1e-12);
        JensenShannon.Distance([1.0, 0.0, 0.0], [1.0, 0.0, 0.0]).ShouldBe(0.0, 1e-12);
    }

    [Fact]
    public void JensenShannon_Counts_AreNormalised()
    {
        JensenShannon.Distance([10, 0], [5, 5]).ShouldBe(0.46450140402245893, 1e-12);
    }
}
