using Keel.Drift;
using Keel.Statistics;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Drift;

public sealed class DriftDetectorTests
{
    /// <summary>A varied set of runs: every metric has observations, and no two runs are alike.</summary>
    private static List<RunMetrics> Runs(int count, Func<int, RunMetrics, RunMetrics>? change = null, int offset = 0) =>
        [.. Enumerable.Range(offset, count).Select(i =>
        {
            var run = new RunMetrics
            {
                RunId = $"r{i}",
                ResponseLengths = [200 + (i * 37 % 150), 120 + (i * 53 % 90)],
                SentimentCompound = ((i * 29 % 21) - 10) / 10.0,
                Outcome = (i % 4) switch { 0 or 1 => "outcome_resolved", 2 => "outcome_escalated", _ => "outcome_abandoned" },
                Topic = i % 2 == 0 ? "topic:refund" : "topic:exchange",
                HandedOff = i % 4 == 2,
                Abstained = i % 5 == 0,
                ToolCalls = 6,
                ToolErrors = i % 3 == 0 ? 1 : 0,
                WriteCalls = 2,
                WritesHeld = i % 2,
                WritesDenied = i % 3 == 1 ? 1 : 0,
                Succeeded = i % 3 != 2,
                CostUsd = 0.02m + (i % 7 * 0.001m),
                Tokens = 1000 + (i % 7 * 100),
            };
            return change is null ? run : change(i, run);
        })];

    private static MetricDrift Metric(DriftReport report, string name) => report.Metrics.Single(m => m.Name == name);

    [Fact]
    public void Compare_IdenticalSets_NoMetricDrifts()
    {
        var runs = Runs(40);

        var report = DriftDetector.Compare(runs, runs);

        report.Drifted.ShouldBeFalse();
        report.MetricsTested.ShouldBe(11);
        report.Metrics.ShouldAllBe(m => m.Verdict == DriftVerdict.NoDrift);
        report.Metrics.Where(m => m.EffectName == "difference").ShouldAllBe(m => m.Effect == 0);
    }

    [Fact]
    public void Compare_EscalationRateShifted_EscalationDriftsWithTheZTestsPValue()
    {
        var baseline = Runs(40);
        var current = Runs(40, (i, r) => r with { HandedOff = i % 4 != 0 });

        var report = DriftDetector.Compare(baseline, current);

        var escalation = Metric(report, "escalation_rate");
        escalation.Verdict.ShouldBe(DriftVerdict.Drifted);
        escalation.Test.ShouldBe("two-proportion-z");
        escalation.PValue.ShouldNotBeNull().ShouldBe(TwoProportion.ZTest(10, 40, 30, 40).PValue, 1e-12);
        escalation.Effect.ShouldNotBeNull().ShouldBe(0.5, 1e-12);
        escalation.Baseline.Display.ShouldBe("25.0 % (10/40)");
        Metric(report, "task_success_rate").Verdict.ShouldBe(DriftVerdict.NoDrift);
        report.Drifted.ShouldBeTrue();
    }

    [Fact]
    public void Compare_TinySamples_NotEnoughRunsAndNothingTested()
    {
        var report = DriftDetector.Compare(Runs(5), Runs(5, (_, r) => r with { HandedOff = true, ResponseLengths = [5000] }));

        report.MetricsTested.ShouldBe(0);
        report.Drifted.ShouldBeFalse();
        report.Metrics.ShouldAllBe(m => m.Verdict == DriftVerdict.NotEnoughRuns);
        Metric(report, "escalation_rate").Note.ShouldBe("needs 20 runs per side (min runs); has 5 baseline and 5 current");
    }

    [Fact]
    public void Compare_ManyMetrics_AdjustsWithBenjaminiHochbergAndDecidesOnTheAdjustedP()
    {
        // A moderate shift in response length only: its raw p is below 0.05, but with 11 metrics tested the BH adjusted p is not.
        var baseline = Runs(40);
        var current = Runs(40, (i, r) => r with { ResponseLengths = [.. r.ResponseLengths.Select(n => n + (i % 3 == 0 ? 100 : 0))] });

        var report = DriftDetector.Compare(baseline, current);

        var tested = report.Metrics.Where(m => m.PValue is not null).ToList();
        var expected = MultipleTesting.BenjaminiHochberg([.. tested.Select(m => m.PValue!.Value)]);
        tested.Select(m => m.AdjustedPValue!.Value).ShouldBe(expected);
        var length = Metric(report, "response_length");
        length.PValue.ShouldNotBeNull().ShouldBeLessThan(0.05);
        length.AdjustedPValue.ShouldNotBeNull().ShouldBeGreaterThan(0.05);
        length.Verdict.ShouldBe(DriftVerdict.NoDrift);
        DriftDetector.Compare(baseline, current, metrics: [DriftMetrics.Standard[0]]).Metrics[0].Verdict.ShouldBe(DriftVerdict.Drifted);
    }

    [Fact]
    public void Compare_RareEvents_UsesFishersExactTest()
    {
        var baseline = Runs(30, (_, r) => r with { Abstained = false });
        var current = Runs(30, (i, r) => r with { Abstained = i < 3 });

        var abstention = Metric(DriftDetector.Compare(baseline, current), "abstention_rate");

        abstention.Test.ShouldBe("fisher-exact");
        abstention.PValue.ShouldNotBeNull().ShouldBe(FisherExact.Test(0, 30, 3, 30).PValue, 1e-12);
    }

    [Fact]
    public void Compare_NoEventOnEitherSide_NoDriftWithoutATest()
    {
        var runs = Runs(30, (_, r) => r with { Abstained = false });

        var report = DriftDetector.Compare(runs, runs);

        var abstention = Metric(report, "abstention_rate");
        abstention.Verdict.ShouldBe(DriftVerdict.NoDrift);
        abstention.PValue.ShouldBeNull();
        abstention.Note.ShouldBe("the same rate on both sides (no run counted)");
        report.MetricsTested.ShouldBe(10);
    }

    [Fact]
    public void Compare_ToolErrorsInOneRunOnly_ClusteredTestDoesNotAlarmButIndependentCallsDo()
    {
        // The current side's extra errors all come from two runs with 40 failing calls each: over calls the rate jumps, but over runs it
        // is two runs out of forty — the clustered test sees that, the independent test does not.
        var baseline = Runs(40);
        var current = Runs(40, (i, r) => i < 2 ? r with { ToolCalls = 40, ToolErrors = 40 } : r);

        var clustered = Metric(DriftDetector.Compare(baseline, current), "tool_error_rate");
        var independent = Metric(DriftDetector.Compare(baseline, current, new DriftOptions { TreatCallsAsIndependent = true }), "tool_error_rate");

        clustered.Test.ShouldBe("two-proportion-z-clustered");
        clustered.Verdict.ShouldBe(DriftVerdict.NoDrift);
        independent.Test.ShouldBe("two-proportion-z");
        independent.Verdict.ShouldBe(DriftVerdict.Drifted);
    }

    [Fact]
    public void Compare_OutcomeMix_DriftsWithJensenShannonEffect()
    {
        var baseline = Runs(60);
        var current = Runs(60, (i, r) => r with { Outcome = i % 4 == 3 ? "outcome_resolved" : "outcome_escalated" });

        var outcome = Metric(DriftDetector.Compare(baseline, current), "outcome_tags");

        outcome.Verdict.ShouldBe(DriftVerdict.Drifted);
        outcome.Test.ShouldBe("chi2-homogeneity");
        outcome.EffectName.ShouldBe("js_distance");
        outcome.Effect.ShouldNotBeNull().ShouldBeInRange(0.3, 1);
    }

    [Fact]
    public void Compare_RareCategories_ArePooled()
    {
        var baseline = Runs(40, (i, r) => r with { Topic = i == 0 ? "topic:rare_a" : i == 1 ? "topic:rare_b" : r.Topic });

        var topics = Metric(DriftDetector.Compare(baseline, Runs(40)), "topics");

        topics.Note.ShouldBe("2 categories with an expected count below 5 pooled");
        topics.Statistic.ShouldNotBeNull();
    }

    [Fact]
    public void Compare_NoCostsNoRewards_SaysNotRecorded()
    {
        var runs = Runs(30, (_, r) => r with { CostUsd = null, Tokens = null, Succeeded = null, WriteCalls = 0, WritesHeld = 0, WritesDenied = 0 });

        var report = DriftDetector.Compare(runs, runs);

        Metric(report, "cost_per_successful_run").Verdict.ShouldBe(DriftVerdict.NotRecorded);
        Metric(report, "task_success_rate").Verdict.ShouldBe(DriftVerdict.NotRecorded);
        Metric(report, "approval_held_rate").Verdict.ShouldBe(DriftVerdict.NotRecorded);
        report.MetricsTested.ShouldBe(7);
    }

    [Fact]
    public void Compare_CostPerSuccessDoubled_Drifts()
    {
        var baseline = Runs(40);
        var current = Runs(40, (_, r) => r with { CostUsd = r.CostUsd * 2 });

        var cpsr = Metric(DriftDetector.Compare(baseline, current), "cost_per_successful_run");

        cpsr.Test.ShouldBe("permutation");
        cpsr.Verdict.ShouldBe(DriftVerdict.Drifted);
        cpsr.Baseline.Value.ShouldNotBeNull().ShouldBe(baseline.Sum(r => (double)r.CostUsd!) / baseline.Count(r => r.Succeeded == true), 1e-9);
    }

    [Fact]
    public void Compare_CostsAllZeroOnOneSide_ComparesTokensInstead()
    {
        // tau2-bench writes a cost of 0 for a model it has no price for (Sierra's fine-tuned gpt-4.1): that side recorded no cost.
        var baseline = Runs(40);
        var current = Runs(40, (_, r) => r with { CostUsd = 0 });

        var cpsr = Metric(DriftDetector.Compare(baseline, current), "cost_per_successful_run");

        cpsr.Note.ShouldNotBeNull().ShouldStartWith("in tokens");
        cpsr.Baseline.Display.ShouldEndWith("tokens (27 successes)");
        cpsr.Verdict.ShouldBe(DriftVerdict.NoDrift);
    }

    [Fact]
    public void Compare_BadOptions_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => DriftDetector.Compare(Runs(3), Runs(3), new DriftOptions { FalseDiscoveryRate = 1.5 }))
            .Message.ShouldContain("--alpha");
    }

    [Fact]
    public void SplitTrials_SameSeed_SameCountsAndFewAlarmsOnOneSet()
    {
        var runs = Runs(80);

        var first = DriftSplits.Run(runs, 40, seed: 3);
        var second = DriftSplits.Run(runs, 40, seed: 3);

        first.SplitsWithAlarm.ShouldBe(second.SplitsWithAlarm);
        first.AlarmsPerMetric.ShouldBe(second.AlarmsPerMetric);
        first.Trials.ShouldBe(40);
        first.SplitsWithAlarm.ShouldBeLessThanOrEqualTo(6);
        first.SplitsWithRawPBelowQ.ShouldBeGreaterThanOrEqualTo(first.SplitsWithAlarm);
    }
}
