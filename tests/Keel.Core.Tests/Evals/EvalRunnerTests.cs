using Keel.Core.Tests.Bundles;
using Keel.Core.Tests.Replay;
using Keel.Evals;
using Keel.Importers;
using Keel.Model;
using Keel.Policies;
using Keel.Replay;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Evals;

/// <summary>A six-case suite cut from the shipped airline suite, replayed under the shipped pack and under a copy without
/// <c>airline.cancel.not-flown</c>.</summary>
public sealed class EvalRunnerTests : IDisposable
{
    private static readonly string[] Ids = ["tau-airline-t0-r0", "tau-airline-t3-r0", "tau-airline-t11-r0", "tau-airline-t13-r0", "tau-airline-t28-r0", "tau-airline-t38-r0"];

    private readonly string _dir = Directory.CreateTempSubdirectory("keel-eval-runner-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RunAsync_TinyAirlineSuite_ScoresEveryCaseInSuiteOrder()
    {
        var (suite, runs) = await TinySuiteAsync();

        var results = await new EvalRunner(AirlineSample.Agent) { Parallelism = 2 }.RunAsync(suite, runs, cancellationToken: TestContext.Current.CancellationToken);

        results.Select(r => r.Id).ShouldBe(Ids);
        results.Select(r => r.Passed).ShouldBe([true, false, false, false, true, true]);
        results.Select(r => r.Outcome).ShouldBe(["stop", "allow", "stop", "stop", "stop", "allow"]);
        results.Select(r => r.Score).ShouldBe([1, 0, 0, 0.5, 1, 1]);
        results[1].FailureReason.ShouldBe("unexpected_writes_stopped: write not among the expected actions allowed: update_reservation_flights (allow)");
        results[2].FailureReason.ShouldBe("expected_writes_allowed: expected write held: book_reservation (requireapproval by airline.book.flights-available)");
        results[3].FailureReason.ShouldBe("handoff_when_transfer_expected: a transfer to a human was expected and the agent made none");
        results[3].Checks.Select(c => (c.Check, c.Passed)).ShouldBe([(EvalChecks.UnexpectedWritesStopped, true), (EvalChecks.HandoffWhenTransferExpected, false)]);
        results.ShouldAllBe(r => r.Workflow == "airline" && r.Reward != null);
    }

    [Fact]
    public async Task RunAsync_PackWithoutNotFlownRule_RegressesTheCaseThatRuleStopped()
    {
        var (suite, runs) = await TinySuiteAsync();
        var shipped = AirlineSample.Agent;
        var candidate = shipped with
        {
            Policies = new PolicySet(shipped.Policies.Id, shipped.Policies.Version, shipped.Policies.Source,
                [.. shipped.Policies.Rules.Where(r => r.Id != "airline.cancel.not-flown")]),
        };

        var baseline = await new EvalRunner(shipped) { Parallelism = 2 }.RunAsync(suite, runs, cancellationToken: TestContext.Current.CancellationToken);
        var results = await new EvalRunner(candidate) { Parallelism = 2 }.RunAsync(suite, runs, cancellationToken: TestContext.Current.CancellationToken);

        var t28 = results.Single(r => r.Id == "tau-airline-t28-r0");
        t28.Passed.ShouldBeFalse();
        t28.Outcome.ShouldBe(EvalOutcomes.Allow);
        t28.Score.ShouldBe(0.75);
        t28.FailureReason.ShouldBe("unexpected_writes_stopped: write not among the expected actions allowed: cancel_reservation (allow)");
        results.Where(r => r.Id != t28.Id).Select(r => (r.Passed, r.Score)).ShouldBe(baseline.Where(r => r.Id != t28.Id).Select(r => (r.Passed, r.Score)));
        // One regression in six cases: exact McNemar p = 1, too little evidence for the gate.
        var gate = EvalGate.Compare(results, baseline);
        gate.Regressions.ShouldBe(["tau-airline-t28-r0"]);
        gate.McNemar.PValue.ShouldBe(1, 1e-12);
        gate.Failed.ShouldBeFalse(gate.Verdict);
    }

    [Fact]
    public async Task LoadRunsAsync_CaseIdNotInItsRunFile_NamesTheCaseAndTheFile()
    {
        var suite = Suite(Case("tau-airline-t999-r0", RelativeRuns(), EvalChecks.ExpectedWritesAllowed));

        var ex = await Should.ThrowAsync<InvalidDataException>(() => EvalRunner.LoadRunsAsync(suite, _dir, new ImportDiagnostics(), TestContext.Current.CancellationToken));

        ex.Message.ShouldBe($"case 'tau-airline-t999-r0': no run with that id in '{RelativeRuns()}'.");
    }

    [Fact]
    public async Task LoadRunsAsync_RunFileMissing_ThrowsFileNotFoundNamingThePathUnderTheSuiteFolder()
    {
        var suite = Suite(Case("tau-airline-t0-r0", "runs/missing.json", EvalChecks.ExpectedWritesAllowed));

        var ex = await Should.ThrowAsync<FileNotFoundException>(() => EvalRunner.LoadRunsAsync(suite, _dir, new ImportDiagnostics(), TestContext.Current.CancellationToken));

        ex.Message.ShouldContain(Path.Combine(_dir, "runs/missing.json"));
    }

    [Fact]
    public async Task Score_UnknownCheck_FailsTheCaseAndListsTheKnownChecks()
    {
        var run = await AirlineSample.RunAsync("tau-airline-t0-r0");
        var replayed = await new ReplayEngine(AirlineSample.Agent).ReplayAsync(run, TestContext.Current.CancellationToken);

        var result = EvalRunner.Score(Case(run.Id, RelativeRuns(), EvalChecks.UnexpectedWritesStopped, "writes_are_polite"), replayed, AirlineSample.Agent);

        result.Passed.ShouldBeFalse();
        result.Checks[0].Passed.ShouldBeTrue();
        result.Checks[1].Reason.ShouldBe("unknown check 'writes_are_polite'; known: expected_writes_allowed, unexpected_writes_stopped, handoff_when_transfer_expected");
    }

    /// <summary>Writes the six cases (as the shipped suite has them) to a suite file in the temp folder, the run file given relative
    /// to it, and loads it as <c>keel eval</c> does.</summary>
    [Theory]
    [InlineData(false, new[] { true, false, false, false, true, true })]
    [InlineData(true, new[] { false, false, false, false, false, false })]
    public async Task RunAsync_JudgeScoresEveryRubricOne_DecidesPassOnlyWhenTheSuiteSaysSo(bool judgeDecides, bool[] passed)
    {
        var (suite, runs) = await TinySuiteAsync();
        var client = new Keel.Core.Tests.Classification.FakeChatClient
        {
            Responder = messages => "{\"metrics\": [" + string.Join(", ", JudgeRubric.All.Where(r => messages[1].Text.Contains($"- {r.Name} (", StringComparison.Ordinal))
                .Select(r => $"{{\"name\": \"{r.Name}\", \"value\": {(r.Scale == JudgeScale.Score ? "1" : "false")}, \"reason\": \"bad\"}}")) + "]}",
        };
        var judge = new EvalJudging(new EvalJudge(new Keel.Classification.JsonChat("judge", new Keel.Classification.ModelAnswerCache(), new Keel.Classification.ModelCostCounter())), client);

        var results = await new EvalRunner(AirlineSample.Agent) { Parallelism = 2, Judge = judge }
            .RunAsync(suite with { JudgeDecides = judgeDecides }, runs, cancellationToken: TestContext.Current.CancellationToken);

        results.Select(r => r.Passed).ShouldBe(passed);
        results.ShouldAllBe(r => r.Judge!.Count > 0 && r.Judge!.All(j => !j.Passed && j.Normalized == 0 && j.Reason == "bad"));
        results.Select(r => r.Judge!.Count).ShouldBe(results.Select(r => JudgeRubric.For(suite.Cases.Single(c => c.Id == r.Id)).Count));
        (results[0].FailureReason is null).ShouldBe(!judgeDecides);
    }

    private async Task<(EvalSuite Suite, IReadOnlyDictionary<string, RecordedRun> Runs)> TinySuiteAsync()
    {
        var shipped = await EvalSuiteFile.ReadAsync(RepoPaths.Sample("evals", "tau-bench-airline.json"), TestContext.Current.CancellationToken);
        var path = Path.Combine(_dir, "tiny.json");
        await EvalSuiteFile.WriteAsync(path, Suite([.. Ids.Select(id => shipped.Cases.Single(c => c.Id == id) with { RunFile = RelativeRuns() })]), TestContext.Current.CancellationToken);
        var suite = await EvalSuiteFile.ReadAsync(path, TestContext.Current.CancellationToken);
        var diagnostics = new ImportDiagnostics();
        var runs = await EvalRunner.LoadRunsAsync(suite, _dir, diagnostics, TestContext.Current.CancellationToken);
        diagnostics.SkippedCount.ShouldBe(0);
        return (suite, runs);
    }

    private string RelativeRuns() => Path.GetRelativePath(_dir, RepoPaths.AirlineRuns).Replace('\\', '/');

    private static EvalSuite Suite(params EvalCase[] cases) => new() { Suite = "tiny", Cases = cases };

    private static EvalCase Case(string id, string runFile, params string[] checks) =>
        new() { Id = id, RunFile = runFile, Workflow = "airline", ExpectedOutcome = EvalOutcomes.Stop, Checks = checks };
}
