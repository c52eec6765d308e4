using System.Runtime.CompilerServices;
using Keel.Mcp;
using Keel.Sdk.Api;
using Keel.Server.Access;
using Keel.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Server;

namespace Keel.Server.Mcp;

/// <summary>MCP over Streamable HTTP at <c>/mcp</c> (ModelContextProtocol.AspNetCore): an MCP host connects by URL with an agent key
/// (<c>Authorization: Bearer keel_…</c>) and gets what <c>keel mcp</c> gives over stdio — the key's tools with their annotations,
/// <c>keel_approval_status</c>, every <c>tools/call</c> decided by the pipeline, one run per MCP session (docs/mcp-gateway.md).</summary>
/// <remarks>A session is the same <see cref="KeelMcpSession"/> as <c>keel mcp</c>'s: its calls go through the gateway HTTP API with the
/// session's key, over this server's own first <c>http</c> address, so idempotency, the one-commit live path, tenancy and the access
/// log apply exactly as to any other client. The session's run is closed when the session ends (the client's <c>DELETE</c>, or
/// <see cref="HttpServerTransportOptions.IdleTimeout"/>).</remarks>
internal static partial class McpHttpApi
{
    /// <summary>The path of the MCP endpoint.</summary>
    public const string Path = "/mcp";

    private static readonly ConditionalWeakTable<McpServerOptions, KeelMcpSession> _sessions = [];

    /// <summary>Registers the MCP server with the Streamable HTTP transport and Keel's per-session handlers.</summary>
    public static IServiceCollection AddKeelMcpHttp(this IServiceCollection services)
    {
        services.AddMcpServer().WithHttpTransport(o =>
        {
            // A run is one MCP session, so sessions are kept: clients of the 2026-07-28 revision (no sessions) are refused with
            // -32022 and downgrade to the initialize handshake, as the SDK documents. Several instances need session affinity.
            o.SessionMode = HttpServerSessionMode.Stateful;
            o.ConfigureSessionOptions = ConfigureSessionAsync;
#pragma warning disable MCPEXP002 // The SDK's only hook for a session's end: Keel closes the session's run there. Re-check on each SDK update.
            o.RunSessionHandler = RunSessionAsync;
#pragma warning restore MCPEXP002
        });
        return services;
    }

    /// <summary>Maps <c>/mcp</c> for agent keys (the key was authenticated by <see cref="ApiKeyAuthenticationMiddleware"/>).</summary>
    public static IEndpointRouteBuilder MapMcpHttpApi(this IEndpointRouteBuilder app)
    {
        app.MapMcp(Path).RequireRole(KeelRole.Agent).WithTags("mcp");
        return app;
    }

    private static Task ConfigureSessionAsync(HttpContext http, McpServerOptions serverOptions, CancellationToken cancellationToken)
    {
        var services = http.RequestServices;
        var caller = Caller.Of(http);
        var httpClient = services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(McpHttpApi));
        httpClient.BaseAddress = SelfAddress(services);
        var client = new KeelGatewayClient(httpClient, PresentedKey(http));
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        var session = new KeelMcpSession(client, new KeelMcpGatewayOptions { Channel = Keel.Model.Run.McpChannel }, loggerFactory.CreateLogger("Keel.Server.Mcp"), services.GetRequiredService<TimeProvider>());
        session.Configure(serverOptions);
        _sessions.AddOrUpdate(serverOptions, session);
        SessionOpened(loggerFactory.CreateLogger("Keel.Server.Mcp"), caller.Key.WorkspaceId, caller.Key.Id);
        return Task.CompletedTask;
    }

    private static async Task RunSessionAsync(HttpContext http, McpServer server, CancellationToken cancellationToken)
    {
        try
        {
            await server.RunAsync(cancellationToken);
        }
        finally
        {
            if (_sessions.TryGetValue(server.ServerOptions, out var session))
            {
                _sessions.Remove(server.ServerOptions);
                await session.DisposeAsync();
            }
        }
    }

    private static string PresentedKey(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header["Bearer ".Length..].Trim();
    }

    /// <summary>This server's own first <c>http</c> address, with a wildcard host replaced by the loopback address.</summary>
    private static Uri SelfAddress(IServiceProvider services)
    {
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the server has no address to call its own API on");
        var uri = new UriBuilder(address);
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*")
        {
            uri.Host = "127.0.0.1";
        }

        uri.Path = "/";
        return uri.Uri;
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "MCP session opened over HTTP for workspace {Workspace}, key {KeyId}")]
    private static partial void SessionOpened(ILogger logger, string workspace, string keyId);
}
