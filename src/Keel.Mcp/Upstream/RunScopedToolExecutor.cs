using System.Collections.Concurrent;
using Keel.Gateway;
using Keel.Model;
using Microsoft.Extensions.Logging;

namespace Keel.Mcp.Upstream;

/// <summary>An executor that gives every run its own upstream tool servers: the first call of a run creates an executor for it
/// (for stdio upstreams, fresh processes), every later call of that run goes to it, and it is disposed once the run is closed.</summary>
/// <remarks>
/// <para><b>Why.</b> A tool server that keeps state per process — <c>keel-tau-tools</c> holds one in-memory database per process
/// (docs/tau-tools.md) — answers a run from the state earlier runs left behind. Benchmarks such as tau-bench reset the
/// environment per task; this executor does the same for live traffic and for the live replay driver (docs/live-replay.md).</para>
/// <para><b>Lifetime.</b> A run's executor is disposed (when it is <see cref="IAsyncDisposable"/>) the next time another run needs a
/// new one after the run has left the open states (<see cref="RunStatus.Active"/>, <see cref="RunStatus.AwaitingApproval"/>,
/// <see cref="RunStatus.Paused"/>, <see cref="RunStatus.TakenOver"/>), on <see cref="ReleaseAsync"/>, or on <see cref="DisposeAsync"/>. At most
/// <see cref="MaxOpenRuns"/> runs hold an executor at once; a call of one more run is answered with an error result (fail-closed,
/// nothing runs) until a run closes.</para>
/// <para><b>Thread-safety.</b> Safe for concurrent calls; the live gateway makes the calls of one run one at a time.</para>
/// </remarks>
public sealed class RunScopedToolExecutor : IToolExecutor, IAsyncDisposable
{
    private readonly Func<Run, CancellationToken, ValueTask<IToolExecutor>> _create;
    private readonly ConcurrentDictionary<(string Workspace, string Run), Scope> _scopes = new();
    private readonly SemaphoreSlim _admission = new(1, 1);
    private bool _disposed;

    /// <summary>Creates the executor.</summary>
    /// <param name="createForRun">Creates the executor of a run on the run's first call. It receives the run (read its id, never change it).</param>
    /// <param name="maxOpenRuns">How many runs may hold an executor at once. The default is 64.</param>
    /// <exception cref="ArgumentNullException"><paramref name="createForRun"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxOpenRuns"/> is below 1.</exception>
    public RunScopedToolExecutor(Func<Run, CancellationToken, ValueTask<IToolExecutor>> createForRun, int maxOpenRuns = 64)
    {
        _create = createForRun ?? throw new ArgumentNullException(nameof(createForRun));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOpenRuns, 1);
        MaxOpenRuns = maxOpenRuns;
    }

    /// <summary>How many runs may hold an executor at once.</summary>
    public int MaxOpenRuns { get; }

    /// <summary>How many runs hold an executor now (closed runs count until they are swept).</summary>
    public int OpenRuns => _scopes.Count;

    /// <summary>Creates an executor that starts one <see cref="McpToolExecutor"/> per run over the given upstreams (for stdio upstreams:
    /// one set of processes per run) and connects it before the run's first call.</summary>
    /// <param name="upstreams">The upstreams of every run, in routing order; validated now.</param>
    /// <param name="maxOpenRuns">How many runs may hold upstreams at once. The default is 64.</param>
    /// <param name="loggerFactory">Logs connections and failures. The default logs nothing.</param>
    /// <param name="timeProvider">Clock for backoff, timeouts and latency. The default is <see cref="TimeProvider.System"/>.</param>
    /// <returns>The executor.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="upstreams"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An upstream's options are invalid (the message names the upstream and setting), none is given, or two share a name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxOpenRuns"/> is below 1.</exception>
    public static RunScopedToolExecutor ForUpstreams(IReadOnlyList<McpUpstreamOptions> upstreams, int maxOpenRuns = 64, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        if (upstreams.Count == 0)
        {
            throw new ArgumentException("Give at least one upstream MCP tool server.", nameof(upstreams));
        }

        foreach (var upstream in upstreams)
        {
            upstream.Validate();
        }

        return new RunScopedToolExecutor(async (_, cancellationToken) =>
        {
            var executor = McpToolExecutor.Create(upstreams, loggerFactory, timeProvider);
            try
            {
                // A failed connection is not fatal: the executor answers the run's calls with "unavailable" results and reconnects.
                await executor.ConnectAsync(cancellationToken).ConfigureAwait(false);
                return executor;
            }
            catch
            {
                await executor.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }, maxOpenRuns);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="ObjectDisposedException">The executor was disposed.</exception>
    public async ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var run = context.State.Run;
        var key = (run.WorkspaceId, run.Id);
        if (!_scopes.TryGetValue(key, out var scope))
        {
            scope = await AdmitAsync(key, run, cancellationToken).ConfigureAwait(false);
            if (scope is null)
            {
                return ToolResult.Failed(context.Call.Id, ToolErrorKind.Transient,
                    $"Error: no upstream tool server for this run: {MaxOpenRuns} runs already hold their own (the limit); close finished runs");
            }
        }

        IToolExecutor executor;
        try
        {
            executor = await scope.Executor.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not kept: the run's next call tries again. The execute stage turns the exception into an error result.
            _scopes.TryRemove(new KeyValuePair<(string, string), Scope>(key, scope));
            throw;
        }

        return await executor.ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disposes a run's executor now (a no-op when the run has none).</summary>
    /// <param name="workspaceId">The run's workspace.</param>
    /// <param name="runId">The run.</param>
    /// <returns>Whether the run had an executor.</returns>
    public async ValueTask<bool> ReleaseAsync(string workspaceId, string runId)
    {
        if (!_scopes.TryRemove((workspaceId, runId), out var scope))
        {
            return false;
        }

        await scope.DisposeAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>Disposes every run's executor.</summary>
    /// <returns>A task that completes when they are disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var key in _scopes.Keys)
        {
            if (_scopes.TryRemove(key, out var scope))
            {
                await scope.DisposeAsync().ConfigureAwait(false);
            }
        }

        _admission.Dispose();
    }

    private async ValueTask<Scope?> AdmitAsync((string, string) key, Run run, CancellationToken cancellationToken)
    {
        await _admission.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_scopes.TryGetValue(key, out var existing))
            {
                return existing;
            }

            foreach (var (closedKey, closed) in _scopes.Where(s => !IsOpen(s.Value.Run)).ToList())
            {
                if (_scopes.TryRemove(new KeyValuePair<(string, string), Scope>(closedKey, closed)))
                {
                    await closed.DisposeAsync().ConfigureAwait(false);
                }
            }

            if (_scopes.Count >= MaxOpenRuns)
            {
                return null;
            }

            var scope = new Scope(run, new Lazy<Task<IToolExecutor>>(() => _create(run, CancellationToken.None).AsTask()));
            _scopes[key] = scope;
            return scope;
        }
        finally
        {
            _admission.Release();
        }
    }

    private static bool IsOpen(Run run) => run.Status is RunStatus.Active or RunStatus.AwaitingApproval or RunStatus.Paused or RunStatus.TakenOver;

    private sealed record Scope(Run Run, Lazy<Task<IToolExecutor>> Executor) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (!Executor.IsValueCreated)
            {
                return;
            }

            try
            {
                if (await Executor.Value.ConfigureAwait(false) is IAsyncDisposable disposable)
                {
                    await disposable.DisposeAsync().ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // It never started: nothing to dispose.
            }
        }
    }
}
