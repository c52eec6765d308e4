using System.IO.Pipelines;
using Keel.Sdk.Api;
using Keel.Mcp.Tests.Fakes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Keel.Mcp.Tests.Gateway;

/// <summary>An MCP client connected to a <see cref="KeelMcpGateway"/> over in-memory pipes, the gateway talking to a fake Keel server over HTTP.</summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly Pipe _toGateway;
    private McpClient? _client;

    private GatewayHarness(FakeKeelServer server, FakeGatewayApi api, HttpClient http, Pipe toGateway, Task session)
    {
        _toGateway = toGateway;
        Server = server;
        Api = api;
        _http = http;
        Session = session;
    }

    public FakeKeelServer Server { get; }

    public FakeGatewayApi Api { get; }

    public McpClient Client => _client!;

    /// <summary>The gateway's session: completes when the client has gone and the run is closed.</summary>
    public Task Session { get; }

    public static async Task<GatewayHarness> StartAsync(Uri? keelServer = null, CancellationToken cancellationToken = default)
    {
        var api = new FakeGatewayApi();
        var server = FakeKeelServer.Start(api.Respond);
        var http = new HttpClient { BaseAddress = keelServer ?? server.BaseAddress };
        var gateway = new KeelMcpGateway(new KeelGatewayClient(http, FakeGatewayApi.Key), new KeelMcpGatewayOptions { RetryDelay = TimeSpan.Zero });
        var toGateway = new Pipe();
        var toClient = new Pipe();
        var session = gateway.RunAsync(toGateway.Reader.AsStream(), toClient.Writer.AsStream(), cancellationToken);
        var harness = new GatewayHarness(server, api, http, toGateway, session);
        harness._client = await McpClient.CreateAsync(new StreamClientTransport(toGateway.Writer.AsStream(), toClient.Reader.AsStream()), new McpClientOptions { ProtocolVersion = "2025-11-25" }, cancellationToken: cancellationToken);
        return harness;
    }

    public async Task<CallToolResult> CallAsync(string tool, Dictionary<string, object?> arguments) =>
        await Client.CallToolAsync(tool, arguments, cancellationToken: Xunit.TestContext.Current.CancellationToken);

    /// <summary>Disconnects the client and waits for the gateway to close the session's run.</summary>
    public async Task EndSessionAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
            _client = null;
        }

        // The client's end of the pipe closes like a host closing the server's stdin.
        await _toGateway.Writer.CompleteAsync();

        await Session.WaitAsync(TimeSpan.FromSeconds(30), Xunit.TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await EndSessionAsync();
        _http.Dispose();
        await Server.DisposeAsync();
    }
}
