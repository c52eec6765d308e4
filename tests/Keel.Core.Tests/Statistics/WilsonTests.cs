using Keel.Statistics;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Statistics;

public sealed class WilsonTests
{
    // Reference: Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven methods",
    // Statistics in Medicine 17 (1998) 857–872, Table II, method 3 (score interval without continuity correction), 4 decimals.
    [Theory]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void Interval_NewcombeTableII_MatchesPublishedBounds(int successes, int trials, double lower, double upper)
    {
        var interval = Wilson.Interval(successes, trials);

        interval.Lower.ShouldBe(lower, 0.00006);
        interval.Upper.ShouldBe(upper, 0.00006);
        interval.Estimate.ShouldBe((double)successes / trials, 1e-12);
    }

    [Fact]
    public void Interval_AllSuccesses_StaysInsideZeroOne()
    {
        var interval = Wilson.Interval(10, 10);

        interval.Upper.ShouldBe(1.0);
        interval.Lower.ShouldBeGreaterThan(0.6);
    }

    [Fact]
    public void Interval_NoTrials_IsWholeRange()
    {
        Wilson.Interval(0, 0).ShouldBe(new ConfidenceInterval(0, 0, 1, 0.95));
    }

    [Fact]
    public void Interval_MoreSuccessesThanTrials_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Wilson.Interval(3, 2));
    }
}
