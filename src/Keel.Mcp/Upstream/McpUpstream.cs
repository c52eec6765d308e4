using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Keel.Mcp.Upstream;

/// <summary>Keel's connection to one upstream MCP tool server: connects with the MCP C# SDK's client (a subprocess over stdio,
/// or an HTTP endpoint), lists the server's tools, calls them, and reconnects after the connection is lost.</summary>
/// <remarks>
/// <para><b>Reconnecting.</b> A lost connection (the process exited, the endpoint went away) is reported to the one call that
/// finds it, as an <see cref="McpUpstreamException"/>; the next call reconnects. A restarted stdio server has fresh state
/// (tau-bench's tool server: a fresh database), so Keel tells the run once rather than hide the restart. Connection attempts
/// are bounded: after a failed attempt the next one waits <see cref="McpUpstreamOptions.ReconnectDelay"/>, doubling up to
/// <see cref="McpUpstreamOptions.MaxReconnectDelay"/>; calls made while waiting fail at once without starting a process.</para>
/// <para><b>Thread-safety.</b> All members are safe to call concurrently; calls run concurrently on one connection (JSON-RPC
/// requests are matched by id), connecting is serialized.</para>
/// </remarks>
public sealed class McpUpstream : IAsyncDisposable
{
    private static readonly string _version = typeof(McpUpstream).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private readonly McpUpstreamOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private Connection? _connection;
    private IReadOnlyList<McpUpstreamTool> _tools = [];
    private int _failedAttempts;
    private DateTimeOffset _nextAttemptAt = DateTimeOffset.MinValue;
    private int _disposed;

    /// <summary>Creates an upstream; nothing connects until <see cref="ConnectAsync"/> or the first call.</summary>
    /// <param name="options">Where the server is. Validated and copied: later changes to it have no effect.</param>
    /// <param name="loggerFactory">Logs connections, failures and the server's stderr (Debug). The default logs nothing.</param>
    /// <param name="timeProvider">Clock for reconnect backoff and call timeouts. The default is <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid (<see cref="McpUpstreamOptions.Validate"/>).</exception>
    public McpUpstream(McpUpstreamOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = new McpUpstreamOptions
        {
            Name = options.Name, Command = options.Command, Arguments = [.. options.Arguments], WorkingDirectory = options.WorkingDirectory,
            EnvironmentVariables = new Dictionary<string, string?>(options.EnvironmentVariables, StringComparer.Ordinal), Endpoint = options.Endpoint,
            Headers = new Dictionary<string, string>(options.Headers, StringComparer.OrdinalIgnoreCase), CallTimeout = options.CallTimeout,
            ConnectTimeout = options.ConnectTimeout, ReconnectDelay = options.ReconnectDelay, MaxReconnectDelay = options.MaxReconnectDelay,
        };
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<McpUpstream>();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The upstream's name (<see cref="McpUpstreamOptions.Name"/>).</summary>
    public string Name => _options.Name;

    /// <summary>Whether a connection is open and has not closed.</summary>
    public bool IsConnected => Volatile.Read(ref _connection) is { } connection && !connection.Client.Completion.IsCompleted;

    /// <summary>The tools the server listed when Keel last connected, in the server's order; empty before the first connection.</summary>
    public IReadOnlyList<McpUpstreamTool> Tools => Volatile.Read(ref _tools);

    /// <summary>Connects now (when not connected) and lists the server's tools.</summary>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The server's tools.</returns>
    /// <exception cref="McpUpstreamException">The server could not be reached, did not complete the MCP handshake or <c>tools/list</c>
    /// within <see cref="McpUpstreamOptions.ConnectTimeout"/>, or the last attempt failed and the backoff has not elapsed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="ObjectDisposedException">The upstream was disposed.</exception>
    public async Task<IReadOnlyList<McpUpstreamTool>> ConnectAsync(CancellationToken cancellationToken = default)
    {
        var connection = Volatile.Read(ref _connection);
        if (connection is null || connection.Client.Completion.IsCompleted)
        {
            await DropAsync(connection, null).ConfigureAwait(false);
            connection = await GetConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        return connection.Tools;
    }

    /// <summary>Calls a tool (<c>tools/call</c>), connecting first when no connection is open.</summary>
    /// <param name="tool">The tool name.</param>
    /// <param name="arguments">The arguments: a JSON object, or <see langword="default"/> for none.</param>
    /// <param name="cancellationToken">Cancels the call; the SDK tells the server with <c>notifications/cancelled</c>.</param>
    /// <returns>The server's answer; a tool error is a result with <see cref="CallToolResult.IsError"/>, and a JSON-RPC error answer
    /// (unknown tool, invalid parameters) is turned into one.</returns>
    /// <exception cref="ArgumentException"><paramref name="tool"/> is empty or <paramref name="arguments"/> is not an object.</exception>
    /// <exception cref="McpUpstreamException">No connection could be made, the connection was found closed (the call was not sent),
    /// it closed during the call, or no answer came within <see cref="McpUpstreamOptions.CallTimeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="ObjectDisposedException">The upstream was disposed.</exception>
    public async Task<CallToolResult> CallToolAsync(string tool, JsonElement arguments, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tool);
        var request = new CallToolRequestParams { Name = tool, Arguments = ToDictionary(arguments) };
        var connection = Volatile.Read(ref _connection);
        if (connection is not null && connection.Client.Completion.IsCompleted)
        {
            await DropAsync(connection, null).ConfigureAwait(false);
            throw new McpUpstreamException(McpUpstreamFailure.Unavailable, $"upstream tool server '{Name}' is unavailable: its connection closed, so the call was not sent. Keel reconnects on the next call");
        }

        connection ??= await GetConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(_options.CallTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await connection.Client.CallToolAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !connection.Client.Completion.IsCompleted)
        {
            McpLog.UpstreamTimedOut(_logger, Name, tool, _options.CallTimeout.TotalMilliseconds);
            throw new McpUpstreamException(McpUpstreamFailure.TimedOut, $"upstream tool server '{Name}' timed out after {_options.CallTimeout.TotalMilliseconds:0} ms, so whether the call ran is unknown", ex);
        }
        catch (McpProtocolException ex) when (!connection.Client.Completion.IsCompleted)
        {
            McpLog.UpstreamProtocolError(_logger, ex, Name, tool);
            return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = $"Error: upstream tool server '{Name}' rejected the call ({ex.ErrorCode}): {ex.Message}" }] };
        }
        catch (Exception ex) when (ex is McpException or IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            await DropAsync(connection, ex).ConfigureAwait(false);
            throw new McpUpstreamException(McpUpstreamFailure.ConnectionLost, $"upstream tool server '{Name}' is unavailable: its connection closed during the call, so whether the call ran is unknown. Keel reconnects on the next call", ex);
        }
    }

    /// <summary>Closes the connection (a stdio server's process is asked to exit, then killed after 2 s). Later calls throw
    /// <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A task that completes when the connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _connectLock.WaitAsync().ConfigureAwait(false);
        try
        {
            var connection = Interlocked.Exchange(ref _connection, null);
            if (connection is not null)
            {
                await connection.Client.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _connectLock.Release();
            _connectLock.Dispose();
        }
    }

    private async Task<Connection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
            if (_connection is { } open && !open.Client.Completion.IsCompleted)
            {
                return open;
            }

            var wait = _nextAttemptAt - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                throw new McpUpstreamException(McpUpstreamFailure.Unavailable,
                    $"upstream tool server '{Name}' is unavailable: the last connection attempt failed, so the call was not sent. Keel tries again in {Math.Ceiling(wait.TotalSeconds):0} s");
            }

            try
            {
                var connection = await McpUpstreamConnector.ConnectAsync(_options, _version, _loggerFactory, _logger, _time, cancellationToken).ConfigureAwait(false);
                _failedAttempts = 0;
                _nextAttemptAt = DateTimeOffset.MinValue;
                Volatile.Write(ref _tools, connection.Tools);
                Volatile.Write(ref _connection, connection);
                McpLog.UpstreamConnected(_logger, Name, connection.Tools.Count);
                return connection;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not ObjectDisposedException)
            {
                _failedAttempts++;
                var delay = TimeSpan.FromTicks(Math.Min(_options.MaxReconnectDelay.Ticks, _options.ReconnectDelay.Ticks * (1L << Math.Min(_failedAttempts - 1, 20))));
                _nextAttemptAt = _time.GetUtcNow() + delay;
                McpLog.UpstreamConnectFailed(_logger, ex, Name, _failedAttempts, delay.TotalMilliseconds);
                throw new McpUpstreamException(McpUpstreamFailure.Unavailable,
                    $"upstream tool server '{Name}' is unavailable: connecting failed (attempt {_failedAttempts}), so the call was not sent. Keel tries again in {Math.Ceiling(delay.TotalSeconds):0} s", ex);
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private async Task DropAsync(Connection? connection, Exception? cause)
    {
        if (connection is null || Interlocked.CompareExchange(ref _connection, null, connection) != connection)
        {
            return;
        }

        McpLog.UpstreamClosed(_logger, cause, Name);
        try
        {
            await connection.Client.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException or McpException)
        {
            // Already broken; nothing more to release.
        }
    }

    private static Dictionary<string, JsonElement>? ToDictionary(JsonElement arguments)
    {
        if (arguments.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }

        if (arguments.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"tool arguments must be a JSON object, not {arguments.ValueKind}", nameof(arguments));
        }

        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in arguments.EnumerateObject())
        {
            result[property.Name] = property.Value.Clone();
        }

        return result;
    }

    /// <summary>One open connection and the tools listed on it.</summary>
    internal sealed record Connection(McpClient Client, IReadOnlyList<McpUpstreamTool> Tools);
}
