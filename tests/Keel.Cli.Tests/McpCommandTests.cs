using System.IO.Pipelines;
using Keel.Cli.Commands;
using Keel.Mcp.Tests.Fakes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary><c>keel mcp</c>: checks the server and key before speaking MCP; stdout carries only the protocol.</summary>
public sealed class McpCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Func<string, string?> Environment(string? key) => name => name == "KEEL_API_KEY" ? key : null;

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string server, string? key)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exit = await McpCommand.RunAsync(server, "KEEL_API_KEY", Environment(key), new MemoryStream(), stdout, stderr, Token);
        return (exit, System.Text.Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    [Fact]
    public async Task RunAsync_KeyVariableNotSet_ExitsTwoNamingTheVariable()
    {
        await using var server = FakeKeelServer.Start(new FakeGatewayApi().Respond);

        var (exit, stdout, stderr) = await RunAsync(server.BaseAddress.ToString(), null);

        exit.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.ShouldStartWith("keel mcp: error: the environment variable KEEL_API_KEY is not set.");
        server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_ServerUnreachable_ExitsTwoNamingTheAddressAndTheFix()
    {
        var address = $"http://127.0.0.1:{FakeKeelServer.FreePort()}";

        var (exit, stdout, stderr) = await RunAsync(address, FakeGatewayApi.Key);

        exit.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.ShouldStartWith($"keel mcp: error: cannot reach the Keel server at {address}/ (");
        stderr.ShouldContain("Start it with 'keel serve', or pass --server with its address.");
    }

    [Fact]
    public async Task RunAsync_KeyRefused_ExitsTwoWithoutEchoingTheKey()
    {
        await using var server = FakeKeelServer.Start(new FakeGatewayApi().Respond);

        var (exit, stdout, stderr) = await RunAsync(server.BaseAddress.ToString(), "keel_wrong_s3cret");

        exit.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.ShouldContain("refused the key in KEEL_API_KEY: Unauthorized (HTTP 401): unknown or revoked key.");
        stderr.ShouldNotContain("keel_wrong_s3cret");
    }

    [Fact]
    public async Task RunAsync_ServerIsNotAnHttpUrl_ExitsTwo()
    {
        var (exit, _, stderr) = await RunAsync("127.0.0.1:5080", FakeGatewayApi.Key);

        exit.ShouldBe(2);
        stderr.ShouldStartWith("keel mcp: error: --server '127.0.0.1:5080' is not an http:// or https:// URL.");
    }

    [Fact]
    public async Task RunAsync_ValidKey_ServesMcpOnStdoutAndWritesDiagnosticsToStderr()
    {
        await using var server = FakeKeelServer.Start(new FakeGatewayApi().Respond);
        var toKeel = new Pipe();
        var toHost = new Pipe();
        using var stderr = new StringWriter();
        var command = McpCommand.RunAsync(server.BaseAddress.ToString().TrimEnd('/'), "KEEL_API_KEY", Environment(FakeGatewayApi.Key),
            toKeel.Reader.AsStream(), toHost.Writer.AsStream(), TextWriter.Synchronized(stderr), Token);

        CallToolResult denied;
        await using (var host = await McpClient.CreateAsync(new StreamClientTransport(toKeel.Writer.AsStream(), toHost.Reader.AsStream()), new McpClientOptions { ProtocolVersion = "2025-11-25" }, cancellationToken: Token))
        {
            (await host.ListToolsAsync(cancellationToken: Token)).Count.ShouldBe(3); // the agent's two tools and keel_approval_status
            denied = await host.CallToolAsync("cancel_reservation", new Dictionary<string, object?> { ["reservation_id"] = "4WQ150" }, cancellationToken: Token);
        }

        await toKeel.Writer.CompleteAsync();
        var exit = await command.WaitAsync(TimeSpan.FromSeconds(30), Token);

        exit.ShouldBe(0);
        denied.IsError.ShouldBe(true);
        denied.Content.OfType<TextContentBlock>().Single().Text.ShouldStartWith("Keel denied this call: the user has not confirmed the cancellation");
        stderr.ToString().ShouldStartWith($"keel mcp: serving the 2 tools of {server.BaseAddress} over stdio");
        stderr.ToString().ShouldNotContain(FakeGatewayApi.Key);
        server.Matching("POST", "/v1/runs/run_1/close").ShouldHaveSingleItem();
    }

    [Fact]
    public async Task KeelMcp_RealProcessOverStdio_AnMcpClientListsAndCallsTheTools()
    {
        await using var server = FakeKeelServer.Start(new FakeGatewayApi().Respond);
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "keel",
            Command = "dotnet",
            Arguments = [Path.Combine(AppContext.BaseDirectory, "keel.dll"), "mcp", "--server", server.BaseAddress.ToString()],
            EnvironmentVariables = new Dictionary<string, string?> { ["KEEL_API_KEY"] = FakeGatewayApi.Key },
        });

        await using (var host = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" }, cancellationToken: Token))
        {
            host.ServerInfo!.Name.ShouldBe("keel");
            (await host.ListToolsAsync(cancellationToken: Token)).Select(t => t.Name).ShouldBe(["get_reservation_details", "cancel_reservation", "keel_approval_status"]);
            var result = await host.CallToolAsync("get_reservation_details", new Dictionary<string, object?> { ["reservation_id"] = "4WQ150" }, cancellationToken: Token);
            result.IsError.ShouldNotBe(true);
            result.Content.OfType<TextContentBlock>().Single().Text.ShouldBe("""{"reservation_id": "4WQ150", "status": "confirmed"}""");
        }

        for (var i = 0; i < 100 && server.Matching("POST", "/v1/runs/run_1/close").Count == 0; i++)
        {
            await Task.Delay(100, Token);
        }

        server.Matching("POST", "/v1/runs/run_1/close").ShouldHaveSingleItem();
    }
}
