using System.Text.Json;
using Keel.Gateway;
using Keel.Model;
using Microsoft.Extensions.Logging;

namespace Keel.Mcp.Upstream;

/// <summary>The execute stage's tool executor for live traffic: sends each allowed call to the upstream MCP tool server that
/// offers the tool (<c>tools/call</c>) and turns the answer into a Keel <see cref="ToolResult"/>.</summary>
/// <remarks>
/// <para><b>Routing.</b> A tool goes to the first upstream, in the order given, whose <c>tools/list</c> names it. An upstream that
/// has never connected is connected on the first call for a tool nobody lists yet (bounded by its reconnect backoff).</para>
/// <para><b>Results.</b> Text content joined (<see cref="ToolResultStatus.Ok"/>); an MCP tool error (<c>isError</c>) is
/// <see cref="ToolResultStatus.Error"/> with the upstream's text. An upstream that is unreachable, lost its connection or did not
/// answer in time gives an <see cref="ToolResultStatus.Error"/> result starting <c>Error: upstream tool server '&lt;name&gt;' is
/// unavailable</c> (or <c>timed out</c>), typed <see cref="ToolErrorKind.Transient"/>, so the execute stage retries it for
/// idempotent tools, and free of secrets. An unknown tool gives a <see cref="ToolErrorKind.Semantic"/> error result naming it. A tool's
/// own error (<c>isError</c>) stays unclassified: its text is all Keel knows of it. Expected failures are results, not
/// exceptions.</para>
/// <para><b>Thread-safety.</b> Safe for concurrent calls.</para>
/// </remarks>
public sealed class McpToolExecutor : IToolExecutor, IAsyncDisposable
{
    private readonly IReadOnlyList<McpUpstream> _upstreams;
    private readonly bool _ownsUpstreams;
    private readonly TimeProvider _time;

    /// <summary>Creates an executor over upstreams; nothing connects until <see cref="ConnectAsync"/> or the first call.</summary>
    /// <param name="upstreams">The upstreams in routing order; names must be unique.</param>
    /// <param name="ownsUpstreams">Whether <see cref="DisposeAsync"/> disposes them. The default is <see langword="false"/>.</param>
    /// <param name="timeProvider">Clock for latency. The default is <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="upstreams"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No upstream, or two with the same name.</exception>
    public McpToolExecutor(IEnumerable<McpUpstream> upstreams, bool ownsUpstreams = false, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        _upstreams = [.. upstreams];
        if (_upstreams.Count == 0)
        {
            throw new ArgumentException("Give at least one upstream MCP tool server.", nameof(upstreams));
        }

        var duplicate = _upstreams.GroupBy(u => u.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"two upstreams are named '{duplicate.Key}'. Give each upstream a unique name.", nameof(upstreams));
        }

        _ownsUpstreams = ownsUpstreams;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Whether every upstream is connected (what a readiness probe reports).</summary>
    public bool IsReady => _upstreams.All(u => u.IsConnected);

    /// <summary>The tools the executor routes, in upstream order then each server's order; a name listed by two upstreams appears
    /// once, from the first (<see cref="McpToolCompatibility.Check"/> reports the shadowed one).</summary>
    public IReadOnlyList<McpUpstreamTool> Tools
    {
        get
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            return [.. _upstreams.SelectMany(u => u.Tools).Where(t => seen.Add(t.Name))];
        }
    }

    /// <summary>Creates an executor that owns one upstream per options entry (see <see cref="McpUpstream(McpUpstreamOptions, ILoggerFactory?, TimeProvider?)"/>).</summary>
    /// <param name="upstreams">The configured upstreams in routing order.</param>
    /// <param name="loggerFactory">Logs connections and failures. The default logs nothing.</param>
    /// <param name="timeProvider">Clock for backoff, timeouts and latency. The default is <see cref="TimeProvider.System"/>.</param>
    /// <returns>The executor; call <see cref="ConnectAsync"/> to connect before the first call.</returns>
    /// <exception cref="ArgumentException">An options entry is invalid (the message names the upstream and setting), none is given, or two share a name.</exception>
    public static McpToolExecutor Create(IEnumerable<McpUpstreamOptions> upstreams, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        return new McpToolExecutor([.. upstreams.Select(o => new McpUpstream(o, loggerFactory, timeProvider))], ownsUpstreams: true, timeProvider);
    }

    /// <summary>Connects every upstream that is not connected, concurrently.</summary>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>One message per upstream that could not connect (safe to log; empty when all connected).</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="ObjectDisposedException">An upstream was disposed.</exception>
    public async Task<IReadOnlyList<string>> ConnectAsync(CancellationToken cancellationToken = default)
    {
        var failures = await Task.WhenAll(_upstreams.Select(async upstream =>
        {
            try
            {
                await upstream.ConnectAsync(cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (McpUpstreamException ex)
            {
                return ex.Message;
            }
        })).ConfigureAwait(false);
        return [.. failures.OfType<string>()];
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var call = context.Call;
        var arguments = context.Arguments;
        if (arguments.ValueKind != JsonValueKind.Object && !call.TryParseArguments(out arguments, out var error))
        {
            return ToolResult.Failed(call.Id, ToolErrorKind.Semantic, $"Error: {error}");
        }

        var started = _time.GetTimestamp();
        var upstream = await RouteAsync(call.ToolName, cancellationToken).ConfigureAwait(false);
        if (upstream is null)
        {
            var down = _upstreams.Where(u => !u.IsConnected).Select(u => $"'{u.Name}'").ToList();
            var text = down.Count == 0
                ? $"Error: no upstream tool server offers the tool '{call.ToolName}'"
                : $"Error: no connected upstream tool server offers the tool '{call.ToolName}'; upstream {string.Join(", ", down)} is unavailable";
            return ToolResult.Failed(call.Id, down.Count == 0 ? ToolErrorKind.Semantic : ToolErrorKind.Transient, text);
        }

        try
        {
            var result = await upstream.CallToolAsync(call.ToolName, arguments, cancellationToken).ConfigureAwait(false);
            return new ToolResult(call.Id, result.IsError == true ? ToolResultStatus.Error : ToolResultStatus.Ok, CallToolResultText.Of(result), _time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (McpUpstreamException ex)
        {
            return ToolResult.Failed(call.Id, ToolErrorKind.Transient, $"Error: {ex.Message}", _time.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>Disposes the upstreams when the executor owns them.</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_ownsUpstreams)
        {
            foreach (var upstream in _upstreams)
            {
                await upstream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async ValueTask<McpUpstream?> RouteAsync(string tool, CancellationToken cancellationToken)
    {
        var upstream = Find(tool);
        if (upstream is not null)
        {
            return upstream;
        }

        foreach (var neverConnected in _upstreams.Where(u => u.Tools.Count == 0))
        {
            try
            {
                await neverConnected.ConnectAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (McpUpstreamException)
            {
                // Reported by the unknown-tool result below.
            }
        }

        return Find(tool);
    }

    private McpUpstream? Find(string tool) => _upstreams.FirstOrDefault(u => u.Tools.Any(t => string.Equals(t.Name, tool, StringComparison.Ordinal)));
}
