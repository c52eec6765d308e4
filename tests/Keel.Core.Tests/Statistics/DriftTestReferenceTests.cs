using Keel.Statistics;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Statistics;

/// <summary>The tests drift adds, against published or hand-computed reference values.</summary>
public sealed class DriftTestReferenceTests
{
    [Fact]
    public void FisherExact_LadyTastingTea_MatchesFisher1935AndR()
    {
        // Fisher's tea-tasting experiment (The Design of Experiments, 1935, §2): 3 of 4 cups with milk first named right. R's
        // example: fisher.test(matrix(c(3, 1, 1, 3), 2)) gives p-value = 0.4857 (= 34/70 two-sided).
        var result = FisherExact.Test(3, 4, 1, 4);

        result.Method.ShouldBe("fisher-exact");
        result.PValue.ShouldBe(34.0 / 70, 1e-12);
    }

    [Fact]
    public void FisherExact_ScipyDocumentationExample_MatchesScipy()
    {
        // scipy.stats.fisher_exact([[8, 2], [1, 5]]) → pvalue 0.0349650349650... (SciPy reference documentation).
        FisherExact.Test(8, 10, 1, 6).PValue.ShouldBe(0.03496503496503496, 1e-12);
    }

    [Fact]
    public void FisherExact_EqualRates_IsOne()
    {
        FisherExact.Test(5, 10, 5, 10).PValue.ShouldBe(1, 1e-12);
    }

    [Fact]
    public void ClusteredProportion_SmallExample_MatchesTheRatioEstimatorVarianceByHand()
    {
        // By hand (Cochran 1977, §6.4, with the pooled rate 6/16 = 0.375 under H0): V1 = 3/2 · (0.25 + 1.265625 + 0.015625) / 144
        // = 0.0159505, V2 = 4/3 · (2.25 + 1.5625 + 0.765625 + 0.140625) / 144 = 0.0436921; z = (3/12 − 6/12) / √(V1 + V2)
        // = −1.0236737, two-sided p = 0.3059894.
        var result = ClusteredProportion.ZTest([(1, 4), (0, 3), (2, 5)], [(3, 4), (2, 2), (1, 5), (0, 1)]);

        result.Method.ShouldBe("two-proportion-z-clustered");
        result.Statistic.ShouldBe(-1.0236736896701917, 1e-9);
        result.PValue.ShouldBe(0.3059894265132046, 1e-9);
    }

    [Fact]
    public void ClusteredProportion_OneTrialPerCluster_IsCloseToThePooledZTest()
    {
        // With one trial per cluster the clustered variance is the binomial one up to n/(n − 1) and the spread of the rates.
        var a = Enumerable.Range(0, 400).Select(i => (i % 10 < 3 ? 1 : 0, 1)).ToList();
        var b = Enumerable.Range(0, 400).Select(i => (i % 10 < 4 ? 1 : 0, 1)).ToList();

        var clustered = ClusteredProportion.ZTest(a, b);
        var pooled = TwoProportion.ZTest(120, 400, 160, 400);

        clustered.Statistic.ShouldBe(pooled.Statistic, 0.05);
        clustered.PValue.ShouldBe(pooled.PValue, 0.002);
    }

    [Fact]
    public void ClusteredProportion_ErrorsConcentratedInOneCluster_IsFarLessSignificantThanThePlainTest()
    {
        var a = Enumerable.Range(0, 30).Select(_ => (0, 5)).ToList();
        var b = Enumerable.Range(0, 30).Select(i => (i == 0 ? 5 : 0, 5)).ToList();

        ClusteredProportion.ZTest(a, b).PValue.ShouldBeGreaterThan(0.3);
        TwoProportion.ZTest(0, 150, 5, 150).PValue.ShouldBeLessThan(0.03);
    }

    [Fact]
    public void ClusteredProportion_OneCluster_Throws()
    {
        Should.Throw<ArgumentException>(() => ClusteredProportion.ZTest([(1, 2)], [(1, 2), (0, 2)]));
    }
}
