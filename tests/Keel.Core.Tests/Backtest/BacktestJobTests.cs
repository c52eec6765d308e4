using Keel.Backtest;
using Keel.Core.Tests.Bundles;
using Keel.Core.Tests.Replay;
using Keel.Evals;
using Keel.Importers;
using Keel.Model;
using Keel.Policies;
using Keel.Replay;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Backtest;

/// <summary>The shipped airline runs replayed under the shipped pack and under a draft without <c>airline.cancel.not-flown</c>
/// (the case docs/evals.md measures).</summary>
public sealed class BacktestJobTests
{
    [Fact]
    public async Task RunAsync_DraftWithoutNotFlownRule_BlamesEveryChangeOnThatRule()
    {
        var report = await new BacktestJob(WithoutRule("airline.cancel.not-flown"), AirlineSample.Agent) { Parallelism = 2 }.RunAsync(await RunsAsync(), TestContext.Current.CancellationToken);

        report.Runs.ShouldBe(160);
        report.Calls.ShouldBe(937);
        report.ChangedCalls.ShouldBe(9);
        // Six cancellations escalated by the rule are now let through; three are still stopped, less strictly (held for approval by
        // another rule): those too changed because not-flown is gone.
        var rule = report.Rules.ShouldHaveSingleItem();
        (rule.RuleId, rule.Denied, rule.Held, rule.LetThrough, rule.Changed).ShouldBe(("airline.cancel.not-flown", 0, 0, 6, 3));
        rule.Examples.Count.ShouldBe(BacktestJob.ExamplesPerRule);
        var first = rule.Examples[0];
        (first.RunId, first.Tool, first.Arguments, first.Old, first.New, first.Change, first.Label)
            .ShouldBe(("tau-airline-t28-r0", "cancel_reservation", "{\"reservation_id\":\"I6M8JQ\"}", DecisionKind.Escalate, DecisionKind.Allow, "let through", "unexpected write"));
        first.Reason.ShouldBe("a segment of this reservation has already been flown: only a human agent can help");
        var unexpected = report.Metrics.Single(m => m.Name == "unexpected_writes_stopped");
        (unexpected.Released.Count, unexpected.Draft.Count, unexpected.Released.Total).ShouldBe((34, 28, 70));
        unexpected.Test.PValue.ShouldBe(0.03125, 1e-12); // 6 stopped under the released pack only, 0 under the draft only
        report.Metrics.Single(m => m.Name == "expected_writes_held").Test.PValue.ShouldBe(1, 1e-12);
    }

    [Fact]
    public async Task RunAsync_DraftStricterThanReleased_BlamesTheDraftsRule()
    {
        // Swapped: the shipped pack is now the draft, so the nine calls are escalated again, all by not-flown (an escalation counts
        // as "denied": the call does not go through without a human).
        var report = await new BacktestJob(AirlineSample.Agent, WithoutRule("airline.cancel.not-flown")) { Parallelism = 2 }.RunAsync(await RunsAsync(), TestContext.Current.CancellationToken);

        var rule = report.Rules.ShouldHaveSingleItem();
        (rule.RuleId, rule.Denied, rule.Held, rule.LetThrough, rule.Changed).ShouldBe(("airline.cancel.not-flown", 9, 0, 0, 0));
        rule.Examples.ShouldAllBe(e => e.New == DecisionKind.Escalate && e.Reason == "a segment of this reservation has already been flown: only a human agent can help");
    }

    [Fact]
    public async Task RunAsync_SameVersionTwice_ChangesNothing()
    {
        var report = await new BacktestJob(AirlineSample.Agent, AirlineSample.Agent) { Parallelism = 2 }.RunAsync(await RunsAsync(), TestContext.Current.CancellationToken);

        report.ChangedCalls.ShouldBe(0);
        report.Rules.ShouldBeEmpty();
        report.Metrics.ShouldAllBe(m => m.Released.Count == m.Draft.Count && m.Test.PValue == 1);
    }

    private static AgentVersion WithoutRule(string ruleId)
    {
        var shipped = AirlineSample.Agent;
        var rules = shipped.Policies.Rules.Where(r => r.Id != ruleId).ToList();
        rules.Count.ShouldBe(shipped.Policies.Rules.Count - 1);
        return shipped with { Policies = new PolicySet(shipped.Policies.Id, shipped.Policies.Version, shipped.Policies.Source, rules) };
    }

    private static async Task<IReadOnlyList<RecordedRun>> RunsAsync() =>
        await RecordedRunSet.ReadAsync([RepoPaths.AirlineRuns], new ImportDiagnostics(), TestContext.Current.CancellationToken);
}
