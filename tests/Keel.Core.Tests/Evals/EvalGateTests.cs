using System.Globalization;
using Keel.Evals;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Evals;

public sealed class EvalGateTests
{
    [Fact]
    public void Compare_SameResultsUnderBothVersions_PassesWithNoDiscordantCase()
    {
        var (candidate, baseline) = Paired(bothPass: 57, bothFail: 39, regressions: 0, improvements: 0);

        var gate = EvalGate.Compare(candidate, baseline);

        gate.Failed.ShouldBeFalse(gate.Verdict);
        gate.Cases.ShouldBe(96);
        gate.Regressions.ShouldBeEmpty();
        gate.Improvements.ShouldBeEmpty();
        gate.McNemar.PValue.ShouldBe(1);
        gate.PassRateDifference.Estimate.ShouldBe(0);
        gate.PassRateDifference.Lower.ShouldBe(0);
        gate.PassRateDifference.Upper.ShouldBe(0);
        gate.Verdict.ShouldBe("no significant regression beyond 0 pp: 0 cases regressed, 0 improved, McNemar p = 1");
    }

    [Fact]
    public void Compare_SixRegressionsNoImprovement_FailsWithExactMcNemarP()
    {
        // The airline pack without airline.cancel.not-flown (docs/evals.md): 6 regressed, 0 improved out of 96. By hand, exact
        // McNemar: P[X <= 0] for X ~ Bin(6, 1/2) is 1/64, two-sided p = 2/64 = 0.03125 < 0.05.
        var (candidate, baseline) = Paired(bothPass: 51, bothFail: 39, regressions: 6, improvements: 0);

        var gate = EvalGate.Compare(candidate, baseline);

        gate.Failed.ShouldBeTrue(gate.Verdict);
        gate.Regressions.Count.ShouldBe(6);
        gate.Regressions.ShouldAllBe(id => id.StartsWith("regressed-", StringComparison.Ordinal));
        gate.Improvements.ShouldBeEmpty();
        gate.McNemar.Method.ShouldBe("mcnemar-exact");
        gate.McNemar.PValue.ShouldBe(0.03125, 1e-12);
        gate.PassRateDifference.Estimate.ShouldBe(-6.0 / 96, 1e-12);
        gate.PassRateDifference.Upper.ShouldBeLessThan(0);
        gate.Verdict.ShouldStartWith("significant pass-rate regression: 6 cases regressed, 0 improved, McNemar p = 0.0313 < 0.05, difference -6.3 pp");
        gate.Verdict.ShouldEndWith("pp entirely below 0 pp");
    }

    [Theory]
    [InlineData(5, 0, 0.0625, false)] // 2 * 1/32: five one-way regressions are not enough at 0.05
    [InlineData(7, 1, 0.0703125, false)] // 2 * (1 + 8)/256
    [InlineData(8, 1, 0.0390625, true)] // 2 * (1 + 9)/512
    [InlineData(9, 1, 0.021484375, true)] // 2 * (1 + 10)/1024
    public void Compare_DiscordantCounts_FailsExactlyWhenHandComputedPIsBelowAlpha(int regressions, int improvements, double p, bool fails)
    {
        var (candidate, baseline) = Paired(bothPass: 50, bothFail: 30, regressions, improvements);

        var gate = EvalGate.Compare(candidate, baseline);

        gate.McNemar.PValue.ShouldBe(p, 1e-12);
        gate.Failed.ShouldBe(fails, gate.Verdict);
    }

    [Fact]
    public void Compare_ImprovementsOnly_PassesThoughTheDifferenceIsSignificant()
    {
        var (candidate, baseline) = Paired(bothPass: 51, bothFail: 39, regressions: 0, improvements: 6);

        var gate = EvalGate.Compare(candidate, baseline);

        gate.McNemar.PValue.ShouldBe(0.03125, 1e-12);
        gate.Improvements.Count.ShouldBe(6);
        gate.PassRateDifference.Lower.ShouldBeGreaterThan(0);
        gate.Failed.ShouldBeFalse(gate.Verdict);
        gate.Verdict.ShouldStartWith("no significant regression beyond 0 pp: 0 cases regressed, 6 improved");
    }

    [Theory]
    [InlineData(1, true)] // the interval's upper bound, about -2.1 pp, is below -1 pp
    [InlineData(3, false)] // ... and above -3 pp: a regression of 3 pp or more is not shown
    public void Compare_SixRegressionsWithAMargin_FailsOnlyWhenTheIntervalIsEntirelyBeyondIt(double marginPp, bool fails)
    {
        var (candidate, baseline) = Paired(bothPass: 51, bothFail: 39, regressions: 6, improvements: 0);

        var gate = EvalGate.Compare(candidate, baseline, new GateOptions { MarginPp = marginPp });

        gate.PassRateDifference.Upper.ShouldBeInRange(-0.03, -0.01);
        gate.Failed.ShouldBe(fails, gate.Verdict);
    }

    [Fact]
    public void Compare_SixRegressionsAtAlphaOnePercent_Passes()
    {
        var (candidate, baseline) = Paired(bothPass: 51, bothFail: 39, regressions: 6, improvements: 0);

        var gate = EvalGate.Compare(candidate, baseline, new GateOptions { Alpha = 0.01 });

        gate.Failed.ShouldBeFalse(gate.Verdict);
        gate.Alpha.ShouldBe(0.01);
    }

    [Fact]
    public void Compare_ScoresDropOnTenCasesThatStillPass_FailsOnScoreWithTheSignTest()
    {
        // Every case passes under both versions; ten scores fall from 1 to 0.5. Sign test: 2 * 0.5^10 = 0.001953125.
        var baseline = Enumerable.Range(0, 20).Select(i => Case($"c{i}", passed: true, score: 1)).ToList();
        var candidate = baseline.Select((c, i) => c with { Score = i < 10 ? 0.5 : 1 }).ToList();

        var gate = EvalGate.Compare(candidate, baseline);

        gate.Regressions.ShouldBeEmpty();
        gate.McNemar.PValue.ShouldBe(1);
        gate.ScoreDifference.Estimate.ShouldBe(-0.25, 1e-12);
        gate.Failed.ShouldBeTrue(gate.Verdict);
        gate.Verdict.ShouldStartWith("significant score regression: mean score difference -0.25");
        gate.Verdict.ShouldEndWith("10 cases scored lower, 0 higher, sign test p = 0.002");
    }

    [Fact]
    public void Compare_ScoresDropOnFiveOfNinetySixCases_PassesThoughTheBootstrapIntervalExcludesZero()
    {
        // The percentile bootstrap alone would call this a regression (a resample misses all five drops with probability about
        // (91/96)^96, near 0.6 %); the exact sign test gives 2 * 0.5^5 = 0.0625, so the gate does not fail.
        var baseline = Enumerable.Range(0, 96).Select(i => Case($"c{i}", passed: true, score: 1)).ToList();
        var candidate = baseline.Select((c, i) => c with { Score = i < 5 ? 0.5 : 1 }).ToList();

        var gate = EvalGate.Compare(candidate, baseline);

        gate.ScoreDifference.Upper.ShouldBeLessThan(0);
        gate.Failed.ShouldBeFalse(gate.Verdict);
    }

    [Fact]
    public void Compare_CaseIdsDiffer_Throws()
    {
        var (candidate, baseline) = Paired(bothPass: 3, bothFail: 0, regressions: 0, improvements: 0);

        var ex = Should.Throw<ArgumentException>(() => EvalGate.Compare(candidate, [.. baseline.Skip(1), Case("other", true, 1)]));

        ex.ParamName.ShouldBe("baseline");
        Should.Throw<ArgumentException>(() => EvalGate.Compare([], []));
    }

    [Fact]
    public void Compare_UnderACommaDecimalCulture_WritesTheVerdictWithDecimalPoints()
    {
        var (candidate, baseline) = Paired(bothPass: 51, bothFail: 39, regressions: 6, improvements: 0);
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CommaDecimalCulture();
        try
        {
            var gate = EvalGate.Compare(candidate, baseline);

            gate.Verdict.ShouldContain("McNemar p = 0.0313 < 0.05, difference -6.3 pp");
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    /// <summary>Results of the same cases under a candidate and a baseline; a case's score is 1 when it passed, else 0.</summary>
    private static (List<CaseResult> Candidate, List<CaseResult> Baseline) Paired(int bothPass, int bothFail, int regressions, int improvements)
    {
        var candidate = new List<CaseResult>();
        var baseline = new List<CaseResult>();
        void Add(string prefix, int count, bool basePassed, bool candidatePassed)
        {
            for (var i = 0; i < count; i++)
            {
                baseline.Add(Case($"{prefix}-{i}", basePassed, basePassed ? 1 : 0));
                candidate.Add(Case($"{prefix}-{i}", candidatePassed, candidatePassed ? 1 : 0));
            }
        }

        Add("pass", bothPass, true, true);
        Add("fail", bothFail, false, false);
        Add("regressed", regressions, true, false);
        Add("improved", improvements, false, true);
        // The gate pairs by id, not by position.
        baseline.Reverse();
        return (candidate, baseline);
    }

    private static CaseResult Case(string id, bool passed, double score) =>
        new(id, "airline", null, EvalOutcomes.Allow, EvalOutcomes.Allow, passed, score, [new CheckResult(EvalChecks.ExpectedWritesAllowed, passed, passed ? null : "expected write held")]);

    /// <summary>A culture that writes 0,5 for one half, as de-DE does (built from the invariant culture: the tests run in
    /// globalization-invariant mode, where named cultures do not exist).</summary>
    private static CultureInfo CommaDecimalCulture()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        culture.NumberFormat.PercentDecimalSeparator = ",";
        culture.NumberFormat.NumberGroupSeparator = ".";
        return culture;
    }
}
