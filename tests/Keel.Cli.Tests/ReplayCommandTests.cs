using System.Text.Json;
using Keel.Cli.Commands;
using Keel.Storage.Sqlite;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

[Collection(CliSerial.Name)]
public sealed class ReplayCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-replay-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<int> KeelAsync(params string[] args) => await KeelCommand.Create().Parse(args).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public async Task Replay_ShippedSample_StoresEveryRunAndWritesBothReports()
    {
        var db = Path.Combine(_dir, "data", "keel.db");
        var reports = Path.Combine(_dir, "report");
        using var console = new CapturedConsole();

        var exit = await KeelAsync("replay", RepoPaths.AirlineRuns, "--agent", RepoPaths.AirlineBundle, "--db", db, "--report", reports, "--parallelism", "2");

        exit.ShouldBe(0, console.Text);
        File.Exists(db).ShouldBeTrue();
        File.Exists(Path.Combine(reports, "report.html")).ShouldBeTrue();
        File.Exists(Path.Combine(reports, "report.json")).ShouldBeTrue();
        Directory.GetFiles(reports, "*.tmp").ShouldBeEmpty();
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(reports, "report.json"), TestContext.Current.CancellationToken)))
        {
            json.RootElement.GetProperty("metrics").GetProperty("runs_total").GetInt32().ShouldBe(160);
            json.RootElement.GetProperty("metrics").GetProperty("runs_skipped").GetInt32().ShouldBe(0);
            json.RootElement.GetProperty("warnings").GetArrayLength().ShouldBe(0);
        }

        (await File.ReadAllTextAsync(Path.Combine(reports, "report.html"), TestContext.Current.CancellationToken)).ShouldStartWith("<!doctype html>");
        await using (var store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = db }, cancellationToken: TestContext.Current.CancellationToken))
        {
            (await store.ListRunsAsync("default", 1000, TestContext.Current.CancellationToken)).Count.ShouldBe(160);
            var run = (await store.GetRunAsync("default", "tau-airline-t41-r0", TestContext.Current.CancellationToken)).ShouldNotBeNull();
            run.Events.OfType<Keel.Model.DecisionEvent>().Select(d => d.Decision.RuleId).ShouldContain("airline.cancel.eligibility");
        }

        console.Text.ShouldContain("160 runs replayed, 0 skipped");
        console.Text.ShouldContain(Path.GetFullPath(db));
    }

    [Fact]
    public async Task Replay_TruncatedRunsFile_CountsTheSkippedRecordOnceEverywhere()
    {
        var truncated = Path.Combine(_dir, "truncated.json");
        var bytes = await File.ReadAllBytesAsync(RepoPaths.AirlineRuns, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(truncated, bytes[..200_000], TestContext.Current.CancellationToken);
        var reports = Path.Combine(_dir, "report");
        using var console = new CapturedConsole();

        var exit = await KeelAsync("replay", truncated, "--agent", RepoPaths.AirlineBundle, "--db", Path.Combine(_dir, "keel.db"), "--report", reports, "--parallelism", "2");

        exit.ShouldBe(0, console.Text);
        console.Text.ShouldContain("│ runs skipped            │           1 │");
        console.Text.ShouldContain("8 runs replayed, 1 skipped");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(reports, "report.json"), TestContext.Current.CancellationToken));
        json.RootElement.GetProperty("metrics").GetProperty("runs_skipped").GetInt32().ShouldBe(1);
        json.RootElement.GetProperty("skipped").GetArrayLength().ShouldBe(1);
        json.RootElement.GetProperty("inputs")[0].GetProperty("skipped").GetInt32().ShouldBe(1);
    }

    [Theory]
    [InlineData("agentdojo/banking", "160 runs of domain 'airline' were replayed with agent bundle 'agentdojo-banking' 1.0.0, which declares domain 'banking'")]
    [InlineData("tau-retail", "160 runs of domain 'airline' call tools that agent bundle 'tau-retail' 1.0.0 does not declare: 10 of 14 distinct tool names (71%) are not in its tools.json")]
    public async Task Replay_BundleOfAnotherDomain_WarnsOnStderrAndInTheReport(string bundle, string warning)
    {
        var reports = Path.Combine(_dir, "report");
        using var console = new CapturedConsole();
        using var stderr = new StringWriter();
        var previous = Console.Error;
        Console.SetError(stderr);
        int exit;
        try
        {
            exit = await KeelAsync("replay", RepoPaths.AirlineRuns, "--agent", Path.Combine(Path.GetDirectoryName(RepoPaths.AirlineBundle)!, bundle),
                "--db", Path.Combine(_dir, "keel.db"), "--report", reports, "--parallelism", "2");
        }
        finally
        {
            Console.SetError(previous);
        }

        exit.ShouldBe(0, console.Text);
        stderr.ToString().ShouldContain("warning: " + warning);
        console.Text.ShouldNotContain(warning);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(reports, "report.json"), TestContext.Current.CancellationToken));
        json.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()).ShouldContain(w => w!.StartsWith(warning, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replay_SameRunsAgain_SaysHowManyStoredRunsItReplacedAndStoresThemAsReplay()
    {
        var db = Path.Combine(_dir, "keel.db");
        using (var first = new CapturedConsole())
        {
            (await KeelAsync("replay", RepoPaths.AirlineRuns, "--agent", RepoPaths.AirlineBundle, "--db", db, "--report", Path.Combine(_dir, "r1"))).ShouldBe(0, first.Text);
            first.Text.ShouldNotContain("Replaced");
        }

        using var console = new CapturedConsole();

        var exit = await KeelAsync("replay", RepoPaths.AirlineRuns, "--agent", RepoPaths.AirlineBundle, "--db", db, "--report", Path.Combine(_dir, "r2"));

        exit.ShouldBe(0, console.Text);
        console.Text.ShouldContain("Replaced 160 runs already stored under the same ids.");
        await using var store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = db }, cancellationToken: TestContext.Current.CancellationToken);
        var runs = await store.ListRunsAsync("default", 1000, TestContext.Current.CancellationToken);
        runs.Count.ShouldBe(160);
        runs.ShouldAllBe(r => r.Channel == "replay" && r.Origin == "replay");
    }

    [Fact]
    public async Task Replay_BfclResultFolder_ReportsTheCallCheckMetrics()
    {
        var reports = Path.Combine(_dir, "report");
        using var console = new CapturedConsole();

        var exit = await KeelAsync("replay", RepoPaths.BfclResults, "--agent", RepoPaths.BfclBundle, "--db", Path.Combine(_dir, "keel.db"), "--report", reports, "--parallelism", "2");

        exit.ShouldBe(0, console.Text);
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(reports, "report.json"), TestContext.Current.CancellationToken)))
        {
            var metrics = json.RootElement.GetProperty("metrics");
            metrics.GetProperty("runs_replayed").GetInt32().ShouldBe(1176);
            metrics.GetProperty("runs_skipped").GetInt32().ShouldBe(0);
            metrics.GetProperty("wrong_calls_recall").ValueKind.ShouldBe(JsonValueKind.Number);
            metrics.GetProperty("valid_calls_flagged_share").ValueKind.ShouldBe(JsonValueKind.Number);
            metrics.GetProperty("wrong_calls_precision").ValueKind.ShouldBe(JsonValueKind.Number);
            json.RootElement.GetProperty("inputs").GetArrayLength().ShouldBe(8);
        }

        console.Text.ShouldContain("1176 runs replayed, 0 skipped");
        console.Text.ShouldContain("wrong runs flagged (recall ");
        console.Text.ShouldNotContain("skipped:");
    }

    [Fact]
    public async Task Replay_BfclScoreFileGivenDirectly_ExitsTwoNamingTheResultFileToPass()
    {
        using var console = new CapturedConsole();

        var exit = await KeelAsync("replay", Path.Combine(RepoPaths.BfclResults, "BFCL_v4_multiple_score_failures.json"), "--agent", RepoPaths.BfclBundle, "--db", Path.Combine(_dir, "k.db"), "--report", _dir);

        exit.ShouldBe(2);
        console.Text.ShouldContain("companion file of the bfcl format");
    }

    [Fact]
    public async Task Replay_BundleThatDoesNotLoad_ExitsTwoWithTheLoadError()
    {
        using var console = new CapturedConsole();

        var exit = await KeelAsync("replay", RepoPaths.AirlineRuns, "--agent", Path.Combine(_dir, "no-bundle"), "--db", Path.Combine(_dir, "k.db"), "--report", _dir);

        exit.ShouldBe(2);
        console.Text.ShouldContain("could not be loaded");
        console.Text.ShouldContain($"{Path.Combine(_dir, "no-bundle", "agent.yaml")}: file not found");
        File.Exists(Path.Combine(_dir, "report.json")).ShouldBeFalse();
    }

    [Fact]
    public async Task Replay_RunsInputThatDoesNotExist_ExitsTwoNamingIt()
    {
        var missing = Path.Combine(_dir, "missing.json");
        using var console = new CapturedConsole();

        var exit = await KeelAsync("replay", missing, "--agent", RepoPaths.AirlineBundle, "--db", Path.Combine(_dir, "k.db"), "--report", _dir);

        exit.ShouldBe(2);
        console.Text.ShouldContain($"no run file or folder at '{missing}'");
    }

    [Fact]
    public async Task Replay_FileInNoKnownFormat_ExitsTwo()
    {
        var notes = Path.Combine(_dir, "notes.json");
        await File.WriteAllTextAsync(notes, """{"hello": "world"}""", TestContext.Current.CancellationToken);
        using var console = new CapturedConsole();

        var exit = await KeelAsync("replay", notes, "--agent", RepoPaths.AirlineBundle, "--db", Path.Combine(_dir, "k.db"), "--report", Path.Combine(_dir, "r"));

        exit.ShouldBe(2);
        console.Text.ShouldContain("is not in a known run format");
    }
}
