using Keel.Sdk.Api;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Keel.Mcp;

/// <summary>Keel as an MCP server: an MCP client (a model's host) sees the tools its agent key may call, and every
/// <c>tools/call</c> is proposed through Keel's gateway HTTP API, so the pipeline decides it and the server runs it upstream.</summary>
/// <remarks>
/// <para><b>Sessions and runs.</b> Each MCP session is one Keel run: opened (channel <c>mcp</c>) on the session's first
/// <c>tools/call</c> and closed (<c>completed</c>) when the session ends. Each call gets a fresh call id, sent as its
/// <c>Idempotency-Key</c>, so the gateway's own retries of one call run it at most once.</para>
/// <para><b>What the model reads.</b> An allowed call answers the tool's output (a tool error stays a tool error). Every other
/// decision answers an MCP tool error (<c>isError: true</c>) the model can act on: <c>Keel denied this call: &lt;reason&gt; (rule
/// &lt;rule id&gt;)</c> for deny and escalate; for a hold, the approval id, its expiry and the instruction to make exactly the same
/// call again once a person approved it; for a plan, a summary of the plan's changes. A Keel server that cannot be reached
/// or refuses the request is also a tool error, never a protocol error.</para>
/// <para><b>Thread-safety.</b> One gateway may run several sessions at once (<see cref="RunAsync(ITransport, CancellationToken)"/>);
/// each has its own run. Requests within a session may run concurrently.</para>
/// </remarks>
public sealed class KeelMcpGateway
{
    private readonly KeelGatewayClient _client;
    private readonly KeelMcpGatewayOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates a gateway.</summary>
    /// <param name="client">The client of the Keel server, holding the agent key.</param>
    /// <param name="options">Settings; the defaults when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Logs run lifecycle and failures (never arguments or outputs). The default logs nothing.
    /// Over stdio, log to stderr only: stdout carries the protocol.</param>
    /// <param name="timeProvider">Clock for retry delays and the close timeout. The default is <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid (<see cref="KeelMcpGatewayOptions.Validate"/>).</exception>
    public KeelMcpGateway(KeelGatewayClient client, KeelMcpGatewayOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _options = options ?? new KeelMcpGatewayOptions();
        _options.Validate();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<KeelMcpGateway>();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Serves one MCP session over stdio (newline-delimited JSON-RPC on this process's stdin and stdout) until the client
    /// closes stdin or <paramref name="cancellationToken"/> fires, then closes the session's run.</summary>
    /// <param name="cancellationToken">Ends the session.</param>
    /// <returns>A task that completes when the session has ended and its run is closed.</returns>
    public async Task RunStdioAsync(CancellationToken cancellationToken = default)
    {
        await using var transport = new StdioServerTransport(_options.ServerName, _loggerFactory);
        await RunAsync(transport, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves one MCP session over a pair of streams (newline-delimited JSON-RPC), e.g. pipes in tests.</summary>
    /// <param name="input">What the client sends.</param>
    /// <param name="output">What the gateway answers.</param>
    /// <param name="cancellationToken">Ends the session.</param>
    /// <returns>A task that completes when the input ends or <paramref name="cancellationToken"/> fires, and the run is closed.</returns>
    /// <exception cref="ArgumentNullException">A stream is <see langword="null"/>.</exception>
    public async Task RunAsync(Stream input, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        await using var transport = new StreamServerTransport(input, output, _options.ServerName, _loggerFactory);
        await RunAsync(transport, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves one MCP session on a connected transport, then closes the session's run (within
    /// <see cref="KeelMcpGatewayOptions.CloseTimeout"/>, even when <paramref name="cancellationToken"/> fired).</summary>
    /// <param name="transport">The session's transport; the caller disposes it.</param>
    /// <param name="cancellationToken">Ends the session.</param>
    /// <returns>A task that completes when the session has ended and its run is closed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transport"/> is <see langword="null"/>.</exception>
    public async Task RunAsync(ITransport transport, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var session = new KeelMcpSession(_client, _options, _logger, _time);
        var serverOptions = new McpServerOptions();
        session.Configure(serverOptions);
        try
        {
            await using var server = McpServer.Create(transport, serverOptions, _loggerFactory);
            await server.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host ended the session; the run is still closed below.
        }
        finally
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }
}
