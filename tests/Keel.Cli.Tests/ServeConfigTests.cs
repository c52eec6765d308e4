using System.Net;
using Keel.Cli.Commands;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary><c>keel serve --config &lt;file&gt;</c>: the YAML file carries the flags' settings, paths relative to the file, flags win.</summary>
[Collection(CliSerial.Name)]
public sealed class ServeConfigTests : IDisposable
{
    private readonly AdminCli _cli = new();
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("keel-serve-config-");

    public void Dispose()
    {
        _cli.Dispose();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Serve_ConfigFile_ServesItsAgentsOnItsStoreWithPathsRelativeToTheFile()
    {
        var bundle = Path.GetRelativePath(_dir.FullName, RepoPaths.AirlineBundle);
        var config = Write("keel.yaml", $"""
            urls: [http://127.0.0.1:0]
            agents: [{bundle}]
            store:
              kind: sqlite
              db: data/keel.db
            approvals:
              timeout: 00:10:00
              stages: 2
            """);
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "data"));

        using var console = new CapturedConsole();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var serve = KeelCommand.Create().Parse(["serve", "--config", config]).InvokeAsync(cancellationToken: stop.Token);
        string text;
        while (!(text = console.Text).Contains("Lost it?", StringComparison.Ordinal))
        {
            serve.IsCompleted.ShouldBeFalse(text);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        text.ShouldContain("agents: tau-airline");
        File.Exists(Path.Combine(_dir.FullName, "data", "keel.db")).ShouldBeTrue(text);
        var address = text[(text.IndexOf("listening on ", StringComparison.Ordinal) + "listening on ".Length)..].Split(' ', '\n')[0];
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", AdminCli.KeyIn(text));
        (await http.GetAsync("/v1/tools", TestContext.Current.CancellationToken)).StatusCode.ShouldNotBe(HttpStatusCode.Unauthorized);
        await stop.CancelAsync();
        (await serve).ShouldBe(ExitCodes.Ok);
    }

    [Fact]
    public async Task Serve_FlagAndConfigFile_TheFlagWins()
    {
        var config = Write("keel.yaml", """
            agents: [does/not/exist]
            """);

        var (exit, text) = await _cli.RunAsync("serve", "--config", config, "--agent", RepoPaths.AirlineBundle, "--store", "nosuch");

        // --agent from the flag is used (no complaint about does/not/exist); the store flag is read and refused.
        exit.ShouldBe(ExitCodes.BadInput, text);
        text.ShouldNotContain("does/not/exist");
        text.ShouldContain("nosuch");
    }

    [Fact]
    public async Task Serve_ConfigFileWithAnUnknownKey_ExitsTwoNamingFileLineAndColumn()
    {
        var config = Write("keel.yaml", """
            agents: [x]
            aproval_timeout: 00:10:00
            """);

        var (exit, text) = await _cli.RunAsync("serve", "--config", config);

        exit.ShouldBe(ExitCodes.BadInput, text);
        text.ShouldContain($"{config}:2:1:");
        text.ShouldContain("Keys: urls, agents, store");
    }

    [Fact]
    public async Task Serve_NoAgentInFlagsOrFile_ExitsTwoSayingWhereToPutOne()
    {
        var (exit, text) = await _cli.RunAsync("serve", "--config", Write("keel.yaml", "urls: [http://127.0.0.1:0]\n"));

        exit.ShouldBe(ExitCodes.BadInput, text);
        text.ShouldContain("no agent bundle: pass --agent <folder>, or list agents: in the --config file.");
    }

    [Fact]
    public async Task Serve_ConfigFileMissing_ExitsTwoNamingIt()
    {
        var missing = Path.Combine(_dir.FullName, "nope.yaml");

        var (exit, text) = await _cli.RunAsync("serve", "--config", missing);

        exit.ShouldBe(ExitCodes.BadInput, text);
        text.ShouldContain($"the configuration file {missing} does not exist");
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}
