using Keel.Model;
using Keel.Versions;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Versions;

public sealed class VersionFiguresTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Of_RunsOfTwoVersions_GroupsByVersionThenWorkflowWithWilsonInterval()
    {
        Run[] runs =
        [
            R("a", "refunds", RunStatus.Completed, 0.2m), R("a", "refunds", RunStatus.HandedOff, 0.4m), R("a", "refunds", RunStatus.Active, 9m),
            R("a", null, RunStatus.Failed, 0.1m), R("b", "refunds", RunStatus.Completed, 1m), R(null, "refunds", RunStatus.Completed, 5m),
        ];

        var figures = VersionFigures.Of(runs);

        figures.Keys.Order(StringComparer.Ordinal).ShouldBe(["a", "b"]);
        var refunds = figures["a"].Single(f => f.Workflow == "refunds");
        (refunds.Runs, refunds.Ended, refunds.Succeeded, refunds.CostUsd, refunds.CostPerSuccessUsd).ShouldBe((3, 2, 1, 0.6m, 0.6m));
        // Wilson score interval (Wilson 1927), 95 %, 1 of 2: 0.0945–0.9055, computed by hand from the formula.
        refunds.Tsr!.Value.Lower.ShouldBe(0.0945, 0.0005);
        refunds.Tsr.Value.Upper.ShouldBe(0.9055, 0.0005);
        var unknown = figures["a"].Single(f => f.Workflow == "unknown");
        (unknown.Succeeded, unknown.CostPerSuccessUsd).ShouldBe((0, (decimal?)null));
        VersionFigures.Describe(refunds).ShouldBe("refunds: TSR 50 % (1/2, 95 % CI 9–91 %), CPSR 0.6 USD");
    }

    private static Run R(string? hash, string? workflow, RunStatus status, decimal cost)
    {
        var run = new Run(Guid.NewGuid().ToString("N"), "ws", "agent", "1", s_t0)
        {
            WorkflowClass = workflow,
            Status = status,
            Version = hash is null ? null : new VersionAssignment(hash, VersionAssignment.Stable, 0),
        };
        run.Append(new MessageEvent(MessageRole.Assistant, "ok") { Usage = new MessageUsage(10, cost) });
        return run;
    }
}
