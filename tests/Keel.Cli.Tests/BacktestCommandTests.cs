using System.Text.Json;
using Keel.Cli.Commands;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary><c>keel backtest</c> of a draft without <c>airline.cancel.not-flown</c> against the shipped airline pack (docs/evals.md).</summary>
[Collection(CliSerial.Name)]
public sealed class BacktestCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-backtest-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Backtest_DraftWithoutNotFlownRule_PrintsTheDiffWithBothBundlesAndWritesJson()
    {
        var draft = await EvalCommandTests.CopyWithoutRuleAsync(RepoPaths.AirlineBundle, "airline.cancel.not-flown", Path.Combine(_dir, "draft"));
        var json = Path.Combine(_dir, "out", "backtest.json");
        using var console = new CapturedConsole();

        var exit = await KeelCommand.Create().Parse(["backtest", RepoPaths.AirlineRuns, "--agent", draft, "--baseline", RepoPaths.AirlineBundle, "--json", json, "--parallelism", "2"])
            .InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

        exit.ShouldBe(0, console.Text);
        console.Text.ShouldContain($"({draft}) against released tau-airline 1.0.0 (policy 2024-05-15.1) ({RepoPaths.AirlineBundle}): 160 runs, 937 governed calls, 9 decisions changed");
        console.Text.ShouldContain("│ airline.cancel.not-flown │ -          │ -        │ 6               │ 3     │");
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json, TestContext.Current.CancellationToken));
        report.RootElement.GetProperty("changed_calls").GetInt32().ShouldBe(9);
        report.RootElement.GetProperty("rules")[0].GetProperty("examples")[0].GetProperty("new").GetString().ShouldBe("Allow");
    }

    [Fact]
    public async Task Backtest_MissingRunFile_ExitsTwoNamingThePath()
    {
        var missing = Path.Combine(_dir, "missing.json");
        using var console = new CapturedConsole();

        var exit = await KeelCommand.Create().Parse(["backtest", missing, "--agent", RepoPaths.AirlineBundle, "--baseline", RepoPaths.AirlineBundle])
            .InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

        exit.ShouldBe(2, console.Text);
        console.Text.ShouldContain($"error: no run file or folder at '{missing}'");
    }
}
