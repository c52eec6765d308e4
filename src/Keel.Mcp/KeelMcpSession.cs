using System.Reflection;
using Keel.Sdk.Api;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Keel.Mcp;

/// <summary>The Keel side of one MCP session, whatever carries it (stdio in <c>keel mcp</c>, Streamable HTTP in <c>keel serve</c>):
/// it lists the key's tools with their annotations and <c>keel_approval_status</c>, proposes every <c>tools/call</c> through the
/// gateway API in the session's run, and closes that run when disposed.</summary>
/// <remarks>Thread-safe: an MCP client may send calls concurrently. Dispose once, after the session has ended.</remarks>
public sealed class KeelMcpSession : IAsyncDisposable
{
    private static readonly string _version = typeof(KeelMcpSession).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private readonly GatewaySession _session;
    private readonly KeelMcpGatewayOptions _options;

    /// <summary>Creates a session whose calls go through <paramref name="client"/> (its key is the session's agent key).</summary>
    /// <param name="client">The client of the Keel server, holding the agent key.</param>
    /// <param name="options">Settings (validated).</param>
    /// <param name="logger">Logs run lifecycle and failures (never arguments or outputs).</param>
    /// <param name="timeProvider">Clock for retry delays and the close timeout.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid (<see cref="KeelMcpGatewayOptions.Validate"/>).</exception>
    public KeelMcpSession(KeelGatewayClient client, KeelMcpGatewayOptions options, ILogger logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _options = options;
        _session = new GatewaySession(client, options, logger, timeProvider);
    }

    /// <summary>The session's run id; <see langword="null"/> until the first <c>tools/call</c> opened it.</summary>
    public string? RunId => _session.RunId;

    /// <summary>Sets the server identity, the instructions for the model, the tools capability and the list/call handlers of
    /// <paramref name="serverOptions"/> to this session's.</summary>
    /// <param name="serverOptions">The options of the MCP server that serves this session.</param>
    /// <exception cref="ArgumentNullException"><paramref name="serverOptions"/> is <see langword="null"/>.</exception>
    public void Configure(McpServerOptions serverOptions)
    {
        ArgumentNullException.ThrowIfNull(serverOptions);
        serverOptions.ServerInfo = new Implementation { Name = _options.ServerName, Version = _version, Description = "Keel: every tool call is decided by the agent's policies before it runs" };
        serverOptions.ServerInstructions = "Every tool call passes through Keel, which decides it under the agent's policies before it runs. " +
            "A call Keel stops comes back as a tool error that starts with 'Keel': it says why, and for a call held for a person's " +
            $"approval, how to go on (ask the user to wait; {ApprovalStatusTool.Name} tells when it was approved; then make exactly the same call again).";
        serverOptions.Capabilities ??= new ServerCapabilities();
        serverOptions.Capabilities.Tools ??= new ToolsCapability();
        serverOptions.Handlers.ListToolsHandler = _session.ListToolsAsync;
        serverOptions.Handlers.CallToolHandler = _session.CallToolAsync;
    }

    /// <summary>Closes the session's run (<c>completed</c>), if one was opened, within <see cref="KeelMcpGatewayOptions.CloseTimeout"/>;
    /// never throws.</summary>
    /// <returns>A task that completes when the run is closed or closing failed (logged).</returns>
    public async ValueTask DisposeAsync()
    {
        await _session.CloseAsync().ConfigureAwait(false);
        _session.Dispose();
    }
}
