using Keel.Statistics;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Statistics;

public sealed class MultipleTestingTests
{
    // Benjamini & Hochberg, JRSS B 57 (1995), §4.2: fifteen p-values of a clinical trial; at q = 0.05 the step-up procedure
    // rejects the four smallest, while Bonferroni-type step-down procedures (Holm) reject three.
    private static readonly double[] _paper = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000];

    [Fact]
    public void BenjaminiHochberg_PaperExample_RejectsFour()
    {
        MultipleTesting.BenjaminiHochberg(_paper).Count(p => p <= 0.05).ShouldBe(4);
    }

    [Fact]
    public void Holm_PaperExample_RejectsThree()
    {
        MultipleTesting.Holm(_paper).Count(p => p <= 0.05).ShouldBe(3);
    }

    [Fact]
    public void BenjaminiHochberg_SmallExample_MatchesHandComputation()
    {
        // By hand (m = 4): sorted 0.005, 0.01, 0.03, 0.04 → 0.02, 0.02, 0.04, 0.04; returned in input order.
        MultipleTesting.BenjaminiHochberg([0.01, 0.04, 0.03, 0.005]).ShouldBe([0.02, 0.04, 0.04, 0.02], 1e-12);
    }

    [Fact]
    public void Holm_SmallExample_MatchesHandComputation()
    {
        // By hand (m = 4): 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06, 1·0.04 → max-accumulated 0.06.
        MultipleTesting.Holm([0.01, 0.04, 0.03, 0.005]).ShouldBe([0.03, 0.06, 0.06, 0.02], 1e-12);
    }
}
