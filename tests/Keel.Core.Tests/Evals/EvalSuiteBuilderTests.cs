using Keel.Core.Tests.Bundles;
using Keel.Core.Tests.Replay;
using Keel.Evals;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Evals;

public sealed class EvalSuiteBuilderTests
{
    [Fact]
    public async Task BuildAsync_ShippedAirlineRuns_RebuildsTheShippedSuite()
    {
        var folder = RepoPaths.Sample("evals");
        var shipped = await EvalSuiteFile.ReadAsync(Path.Combine(folder, "tau-bench-airline.json"), TestContext.Current.CancellationToken);
        var runs = (await AirlineSample.AllAsync()).OrderBy(r => r.Labels.TaskId is { } t ? int.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : -1).ToList();

        var (suite, leftOut) = await EvalSuiteBuilder.BuildAsync("tau-bench-airline", runs, AirlineSample.Agent, folder, cancellationToken: TestContext.Current.CancellationToken);

        // 160 recorded runs: 96 with a successful write or an expected transfer, 64 with nothing Keel decides.
        suite.Cases.Count.ShouldBe(96);
        leftOut.Count.ShouldBe(64);
        leftOut.ShouldAllBe(l => l.Reason == "no successful write and no expected transfer: nothing Keel decides is checked");
        var built = suite.Cases.ToDictionary(c => c.Id);
        foreach (var expected in shipped.Cases)
        {
            var actual = built[expected.Id];
            actual.RunFile.ShouldBe("../runs/tau-bench/gpt-4o-airline.json");
            (actual.ExpectedOutcome, actual.ExpectedWrites, actual.UnexpectedWrites).ShouldBe((expected.ExpectedOutcome, expected.ExpectedWrites, expected.UnexpectedWrites), expected.Id);
            actual.Checks.ShouldBe(expected.Checks, expected.Id);
        }
    }
}
