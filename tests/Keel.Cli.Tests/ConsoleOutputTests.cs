using System.Diagnostics;
using Keel.Cli.Output;
using Shouldly;
using Spectre.Console;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary>Output sent to a file or a pipe is plain and unwrapped, progress goes only to a terminal's stderr, and NO_COLOR turns colour off.</summary>
[Collection(CliSerial.Name)]
public sealed class ConsoleOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-console-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Create_NotATerminal_WritesNoEscapeCodesAndWrapsNoLine()
    {
        using var writer = new StringWriter();
        var console = KeelConsole.Create(writer, isTerminal: false, noColor: false);
        var diagnostic = "policies.yaml:12:5: error: " + new string('x', 300);

        console.MarkupLine($"[red]{diagnostic}[/] [bold]done[/]");

        writer.ToString().ShouldBe(diagnostic + " done" + Environment.NewLine);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Settings_NoColor_TurnsColourOffOnATerminalToo(bool isTerminal)
    {
        using var writer = new StringWriter();

        KeelConsole.Settings(writer, isTerminal, noColor: true).ColorSystem.ShouldBe(ColorSystemSupport.NoColors);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("0", true)]
    [InlineData("false", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void NoColor_AnyNonEmptyValue_TurnsColourOff(string? value, bool expected) =>
        KeelConsole.NoColor(name => name == "NO_COLOR" ? value : null).ShouldBe(expected);

    [Fact]
    public async Task Lint_StdoutRedirected_PrintsEachDiagnosticOnOneLineWithoutColour()
    {
        var file = Path.Combine(_dir, "policies.yaml");
        await File.WriteAllTextAsync(file, "policy: p\nversion: \"1\"\nrules:\n  - id: a\n    kind: tool_denny\n    tools: [x]\n", TestContext.Current.CancellationToken);

        var (exit, output, _) = await KeelProcessAsync("policy", "lint", file);

        exit.ShouldBe(2);
        output.ShouldNotContain("\u001b");
        output.Split('\n')[0].ShouldStartWith($"{file}:5:11: error: unknown rule kind 'tool_denny'; use one of: tool_allow,");
        output.Split('\n')[0].ShouldEndWith("user_intent");
    }

    [Fact]
    public async Task Replay_StdoutAndStderrRedirected_PrintsNoProgressAndNoEscapeCodes()
    {
        var (exit, output, error) = await KeelProcessAsync(
            "replay", RepoPaths.AirlineRuns, "--agent", RepoPaths.AirlineBundle, "--db", Path.Combine(_dir, "keel.db"), "--report", Path.Combine(_dir, "report"));

        exit.ShouldBe(0, error);
        output.ShouldNotContain("\u001b");
        output.ShouldNotContain("replaying runs");
        output.ShouldNotContain("replayed 160");
        error.ShouldNotContain("replaying runs");
        output.ShouldContain("Keel replay — tau-airline 1.0.0, policy tau-airline 2024-05-15.1" + Environment.NewLine);
        output.ShouldContain($"Report: {Path.Combine(_dir, "report", "report.html")} and {Path.Combine(_dir, "report", "report.json")}");
    }

    /// <summary>Runs the built keel command in a child process with stdout and stderr redirected, on a terminal type that has colour.</summary>
    private static async Task<(int Exit, string Output, string Error)> KeelProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "keel.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TERM"] = "xterm-256color";
        start.Environment["COLORTERM"] = "truecolor";
        start.Environment.Remove("NO_COLOR");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }
}
