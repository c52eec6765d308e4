using Keel.Statistics;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Statistics;

public sealed class BootstrapTests
{
    [Fact]
    public void MeanInterval_SameSeed_SameInterval()
    {
        double[] values = [0.1, 0.5, 0.9, 0.3, 0.7, 0.2];

        Bootstrap.MeanInterval(values, seed: 7).ShouldBe(Bootstrap.MeanInterval(values, seed: 7));
    }

    [Fact]
    public void MeanInterval_ConstantValues_IsDegenerate()
    {
        var interval = Bootstrap.MeanInterval([2.5, 2.5, 2.5]);

        interval.Lower.ShouldBe(2.5);
        interval.Upper.ShouldBe(2.5);
    }

    [Fact]
    public void MeanInterval_HalfOfHundredBinary_AgreesWithNormalApproximation()
    {
        // 50 ones and 50 zeros: the sampling distribution of the mean is close to N(0.5, 0.05²), so the 95 % interval is close to
        // 0.5 ± 1.96 · 0.05 = [0.402, 0.598] (Efron & Tibshirani 1993, §13.3: percentile and normal intervals agree here).
        var values = Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? 1.0 : 0.0).ToArray();

        var interval = Bootstrap.MeanInterval(values);

        interval.Estimate.ShouldBe(0.5);
        interval.Lower.ShouldBe(0.402, 0.015);
        interval.Upper.ShouldBe(0.598, 0.015);
    }

    [Fact]
    public void PairedDifference_AllCasesWorseByOne_IsMinusOne()
    {
        var interval = Bootstrap.PairedDifference([0, 0, 0, 1], [1, 1, 1, 2]);

        interval.ShouldBe(new ConfidenceInterval(-1, -1, -1, 0.95));
    }

    [Fact]
    public void PairedDifference_DifferentLengths_Throws()
    {
        Should.Throw<ArgumentException>(() => Bootstrap.PairedDifference([1, 2], [1]));
    }
}
