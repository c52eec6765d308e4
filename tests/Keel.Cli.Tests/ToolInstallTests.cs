using System.Diagnostics;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary>`keel` as a .NET tool: packed from this checkout, installed with `dotnet tool install`, run from the tool path.</summary>
public sealed class ToolInstallTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-tool-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Pack_InstalledAsDotnetTool_RunsKeelFromToolPath()
    {
        // The test project is built in the same configuration as the CLI, so the pack reuses that build.
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var feed = Path.Combine(_dir, "feed");
        var tools = Path.Combine(_dir, "tools");
        var project = Path.Combine(RepoPaths.Root, "src", "Keel.Cli", "Keel.Cli.csproj");

        var pack = await RunAsync("dotnet", "pack", project, "-c", configuration, "--no-build", "-o", feed);
        pack.Exit.ShouldBe(0, pack.Output);
        var package = Directory.GetFiles(feed, "keel.*.nupkg").ShouldHaveSingleItem();
        var version = Path.GetFileNameWithoutExtension(package)["keel.".Length..];

        var install = await RunAsync("dotnet", "tool", "install", "keel", "--tool-path", tools, "--add-source", feed, "--version", version);
        install.Exit.ShouldBe(0, install.Output);

        var keel = Path.Combine(tools, "keel");
        var help = await RunAsync(keel, "--help");
        help.Exit.ShouldBe(0, help.Output);
        help.Output.ShouldContain("replay <runs>");
        help.Output.ShouldContain("serve");

        var sentiment = await RunAsync(keel, "sentiment", "text", "This is great!");
        sentiment.Exit.ShouldBe(0, sentiment.Output);
        sentiment.Output.ShouldContain("compound 0.6588");
    }

    private async Task<(int Exit, string Output)> RunAsync(string fileName, params string[] args)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output + await error);
    }
}
