using Keel.Drift;
using Keel.Triggers;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Triggers;

/// <summary>Each trigger on constructed run sets where the answer is known: fires, stays quiet, or says not enough runs.</summary>
public sealed class TriggerEvaluatorTests
{
    /// <summary>Runs where 9 in 10 succeed, 1 in 10 has a tool error, 1 in 10 is handed off, none has a high-severity failure or a
    /// takeover, and 1 in 10 write calls is held — <paramref name="change"/> moves one of them.</summary>
    private static List<RunMetrics> Runs(int count, Func<int, RunMetrics, RunMetrics>? change = null) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var run = new RunMetrics
            {
                RunId = $"r{i}",
                ToolCalls = 4,
                ToolErrors = i % 10 == 3 ? 1 : 0,
                HandedOff = i % 10 == 5,
                WriteCalls = 2,
                WritesHeld = i % 5 == 1 ? 1 : 0,
                HighSeverityFailure = i % 20 == 7,
                Succeeded = i % 10 != 9,
            };
            return change is null ? run : change(i, run);
        })];

    private static TriggerResult Judge(TriggerCondition condition, IReadOnlyList<RunMetrics> baseline, IReadOnlyList<RunMetrics> current) =>
        TriggerEvaluator.Evaluate(baseline, current, [new TriggerRule("t", condition, TriggerAction.Alert)]).Results.ShouldHaveSingleItem();

    [Theory]
    [InlineData(TriggerCondition.ClearRegression)]
    [InlineData(TriggerCondition.HighSeverityFailuresUp)]
    [InlineData(TriggerCondition.ApprovalBoundaryDrift)]
    [InlineData(TriggerCondition.RescueWorkUp)]
    public void Evaluate_SameRunsOnBothSides_Quiet(TriggerCondition condition)
    {
        Judge(condition, Runs(60), Runs(60)).Status.ShouldBe(TriggerStatus.Quiet);
    }

    [Theory]
    [InlineData(TriggerCondition.ClearRegression)]
    [InlineData(TriggerCondition.HighSeverityFailuresUp)]
    [InlineData(TriggerCondition.ApprovalBoundaryDrift)]
    [InlineData(TriggerCondition.RescueWorkUp)]
    public void Evaluate_TenRunsASide_NotEnoughRuns(TriggerCondition condition)
    {
        var result = Judge(condition, Runs(10), Runs(10, (_, r) => r with { Succeeded = false, HighSeverityFailure = true, WritesHeld = 2, Takeovers = 1, ToolErrors = 3 }));

        result.Status.ShouldBe(TriggerStatus.NotEnoughRuns);
        result.Reason.ShouldContain("needs 20 runs per side");
    }

    [Fact]
    public void Evaluate_TaskSuccessFallsFromNineInTenToOneInThree_ClearRegressionFires()
    {
        var result = Judge(TriggerCondition.ClearRegression, Runs(60), Runs(60, (i, r) => r with { Succeeded = i % 3 == 0 }));

        result.Status.ShouldBe(TriggerStatus.Fired);
        result.Reason.ShouldStartWith("task_success_rate 90.0 % (54/60) -> 33.3 % (20/60)");
    }

    [Fact]
    public void Evaluate_TaskSuccessRisesAndErrorsFall_ClearRegressionQuiet()
    {
        var result = Judge(TriggerCondition.ClearRegression, Runs(60, (i, r) => r with { Succeeded = i % 3 == 0, ToolErrors = i % 2 }), Runs(60, (_, r) => r with { ToolErrors = 0, Succeeded = true }));

        result.Status.ShouldBe(TriggerStatus.Quiet);
        result.Reason.ShouldContain("drifted the other way");
    }

    [Fact]
    public void Evaluate_ToolErrorsInEveryOtherRun_ClearRegressionFiresOnToolErrors()
    {
        var result = Judge(TriggerCondition.ClearRegression, Runs(60), Runs(60, (i, r) => r with { ToolErrors = i % 2 == 0 ? 2 : 0 }));

        result.Status.ShouldBe(TriggerStatus.Fired);
        result.Reason.ShouldStartWith("tool_error_rate");
    }

    [Fact]
    public void Evaluate_HighSeverityFailuresInHalfTheRuns_Fires()
    {
        var result = Judge(TriggerCondition.HighSeverityFailuresUp, Runs(60), Runs(60, (i, r) => r with { HighSeverityFailure = i % 2 == 0 }));

        result.Status.ShouldBe(TriggerStatus.Fired);
        result.Reason.ShouldStartWith("high_severity_failure_rate 5.0 % (3/60) -> 50.0 % (30/60)");
    }

    [Fact]
    public void Evaluate_HighSeverityFailuresGone_Quiet()
    {
        Judge(TriggerCondition.HighSeverityFailuresUp, Runs(60, (i, r) => r with { HighSeverityFailure = i % 2 == 0 }), Runs(60)).Status.ShouldBe(TriggerStatus.Quiet);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Evaluate_WritesHeldMuchMoreOrMuchLess_ApprovalBoundaryFiresEitherWay(bool more)
    {
        var changed = Runs(60, (i, r) => r with { WritesHeld = i % 3 == 0 ? 1 : 2 });
        var result = more ? Judge(TriggerCondition.ApprovalBoundaryDrift, Runs(60), changed) : Judge(TriggerCondition.ApprovalBoundaryDrift, changed, Runs(60));

        result.Status.ShouldBe(TriggerStatus.Fired);
        result.Reason.ShouldStartWith("write_gated_rate");
    }

    [Fact]
    public void Evaluate_NoWriteCallsOnEitherSide_ApprovalBoundaryNotRecorded()
    {
        var none = Runs(60, (_, r) => r with { WriteCalls = 0, WritesHeld = 0 });

        Judge(TriggerCondition.ApprovalBoundaryDrift, none, none).Status.ShouldBe(TriggerStatus.NotRecorded);
    }

    [Fact]
    public void Evaluate_TakeoversInEveryThirdRun_RescueWorkFires()
    {
        var result = Judge(TriggerCondition.RescueWorkUp, Runs(60), Runs(60, (i, r) => r with { Takeovers = i % 3 == 0 ? 1 : 0 }));

        result.Status.ShouldBe(TriggerStatus.Fired);
        result.Reason.ShouldStartWith("rescue_rate 10.0 % (6/60) -> 40.0 % (24/60)");
    }

    [Fact]
    public void Strongest_AlertAndRollbackBothFired_TheRollback()
    {
        TriggerRule[] rules = [new("a", TriggerCondition.RescueWorkUp, TriggerAction.Alert), new("r", TriggerCondition.ClearRegression, TriggerAction.Rollback),
            new("p", TriggerCondition.HighSeverityFailuresUp, TriggerAction.PauseRollout)];

        var report = TriggerEvaluator.Evaluate(Runs(60), Runs(60, (i, r) => r with { Takeovers = i % 3 == 0 ? 1 : 0, Succeeded = i % 3 == 0 }), rules);

        report.Fired.Select(r => r.Rule.Id).ShouldBe(["a", "r"]);
        report.Strongest!.Rule.Id.ShouldBe("r");
    }
}
