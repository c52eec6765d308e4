using System.Net;
using System.Net.Sockets;
using Keel.Cli.Commands;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary><c>keel serve</c>'s first start on real loopback sockets: the bootstrap key is created and printed only once the server
/// listens; a start that cannot listen prints no key, says what failed and leaves nothing in the store.</summary>
[Collection(CliSerial.Name)]
public sealed class ServeBootstrapTests : IDisposable
{
    private readonly AdminCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Serve_AddressInUse_ExitsListenFailedPrintsNoKeyAndCreatesNoWorkspace()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var (exit, text) = await _cli.RunAsync("serve", "--agent", RepoPaths.AirlineBundle, "--urls", url);

        exit.ShouldBe(ExitCodes.ListenFailed, text);
        text.ShouldContain($"could not listen on {url}");
        text.ShouldContain("No workspace or key was created");
        text.ShouldNotContain("keel_");
        var (listed, workspaces) = await _cli.RunAsync("workspace", "list", "--json");
        listed.ShouldBe(ExitCodes.Ok, workspaces);
        workspaces.Trim().ShouldBe("[]");
    }

    [Fact]
    public async Task Serve_FirstStart_PrintsTheKeyAfterItListensAndTheKeyWorks()
    {
        using var console = new CapturedConsole();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var serve = KeelCommand.Create().Parse(["serve", "--agent", RepoPaths.AirlineBundle, "--urls", "http://127.0.0.1:0", "--db", _cli.DbPath]).InvokeAsync(cancellationToken: stop.Token);
        string text;
        while (!(text = console.Text).Contains("Lost it?", StringComparison.Ordinal))
        {
            serve.IsCompleted.ShouldBeFalse(text);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        var listening = text.IndexOf("listening on ", StringComparison.Ordinal);
        var key = AdminCli.KeyIn(text);
        listening.ShouldBeGreaterThanOrEqualTo(0, text);
        listening.ShouldBeLessThan(text.IndexOf(key, StringComparison.Ordinal));
        var address = text[(listening + "listening on ".Length)..].Split(' ', '\n')[0];
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        (await http.GetAsync("/v1/workspaces", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await stop.CancelAsync();
        (await serve).ShouldBe(ExitCodes.Ok);
    }
}
