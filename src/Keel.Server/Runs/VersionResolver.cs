using System.Collections.Concurrent;
using Keel.Bundles;
using Keel.Model;
using Keel.Storage;
using Keel.Versions;

namespace Keel.Server.Runs;

/// <summary>Which agent version serves a run (docs/versions.md, "Serving"). A new run is served by the version the workspace's
/// registry releases for its agent — the stable one, or the candidate of a staged rollout when the run's bucket is below the
/// candidate's share — and by the bundle the server was started with (<see cref="KeelServerOptions.Agents"/>) only when the registry
/// releases no version of the agent. A run rebuilt from the store is served by the version it recorded when it opened.</summary>
/// <remarks>The registry's released versions are read for every new run (one indexed read), so a release or rollback made by
/// another process (<c>keel version</c>) applies from the next new run, with no cache to expire. Loaded versions are cached by
/// workspace and hash, at most <see cref="CacheLimit"/>; beyond that the oldest is dropped and loaded again when needed. Thread-safe.</remarks>
internal sealed class VersionResolver(KeelServerOptions options, IVersionRegistry registry, Composition.KeelComponents components)
{
    /// <summary>The most loaded registry versions kept in memory: 32.</summary>
    public const int CacheLimit = 32;

    private readonly ConcurrentDictionary<(string Workspace, string Hash), Lazy<Task<AgentVersion>>> _loaded = new();
    private readonly ConcurrentQueue<(string Workspace, string Hash)> _order = new();

    /// <summary>The bundle the server was started with for an agent, or <see langword="null"/>.</summary>
    public AgentVersion? Configured(string? name) => options.Agents.FirstOrDefault(a => a.AgentName == name);

    /// <summary>The version an agent's new runs get unless a staged rollout picks its candidate (<see cref="RolloutAssignment.Choose"/>
    /// outside every share): the registry's stable release, else the configured bundle — what <c>GET /v1/tools</c> lists.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="agentName">The agent.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The version, or <see langword="null"/> when neither the registry nor the configuration serves the agent.</returns>
    /// <exception cref="StoreException">The registry could not be read, or the stable version's stored files do not load.</exception>
    public async Task<AgentVersion?> ServedAsync(string workspaceId, string? agentName, CancellationToken cancellationToken)
    {
        if (agentName is null)
        {
            return null;
        }

        // The choice of new runs outside any rollout share (bucket 100): the stable release, else a lone candidate.
        var versions = await registry.ListVersionsAsync(workspaceId, agentName, cancellationToken);
        return RolloutAssignment.Choose(versions, bucket: 100) is { } chosen
            ? await LoadAsync(workspaceId, chosen.Version.Hash, cancellationToken)
            : Configured(agentName);
    }

    /// <summary>Whether new runs of an agent are served in a workspace: a configured bundle, or a version its registry releases
    /// (agent keys are created only for such agents).</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="agentName">The agent.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Whether the agent is served.</returns>
    /// <exception cref="StoreException">The registry could not be read.</exception>
    public async Task<bool> ServesAsync(string workspaceId, string agentName, CancellationToken cancellationToken) =>
        Configured(agentName) is not null
        || (await registry.ListVersionsAsync(workspaceId, agentName, cancellationToken)).Any(v => v.State == AgentVersionState.Released);

    /// <summary>Chooses the version of a new run.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="agentName">The agent.</param>
    /// <param name="runId">The new run's id (its bucket, <see cref="RolloutAssignment.Bucket"/>, makes the choice sticky).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The version and the assignment to record, or <see langword="null"/> when neither the registry nor the configuration
    /// serves the agent.</returns>
    /// <exception cref="StoreException">The registry could not be read, or a released version's stored files do not load.</exception>
    public async Task<(AgentVersion Agent, VersionAssignment Assignment)?> ResolveAsync(string workspaceId, string agentName, string runId, CancellationToken cancellationToken)
    {
        var bucket = RolloutAssignment.Bucket(workspaceId, agentName, runId);
        var versions = await registry.ListVersionsAsync(workspaceId, agentName, cancellationToken);
        if (RolloutAssignment.Choose(versions, bucket) is { } chosen)
        {
            return (await LoadAsync(workspaceId, chosen.Version.Hash, cancellationToken), new VersionAssignment(chosen.Version.Hash, chosen.Arm, bucket));
        }

        return Configured(agentName) is { } configured
            ? (configured, new VersionAssignment(configured.ContentHash, VersionAssignment.Configured, bucket))
            : null;
    }

    /// <summary>The version a stored run is rebuilt with: the registry version it recorded, else the configured bundle.</summary>
    /// <param name="run">The stored run.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The version, or <see langword="null"/> when the server no longer serves it.</returns>
    /// <exception cref="StoreException">The registry could not be read, or the version's stored files do not load.</exception>
    public async Task<AgentVersion?> ForRunAsync(Run run, CancellationToken cancellationToken) =>
        run.Version is { FromRegistry: true, Hash: { } hash }
            ? await LoadAsync(run.WorkspaceId, hash, cancellationToken)
            : Configured(run.AgentName);

    private async Task<AgentVersion> LoadAsync(string workspaceId, string hash, CancellationToken cancellationToken)
    {
        var key = (workspaceId, hash);
        var lazy = _loaded.GetOrAdd(key, k => new Lazy<Task<AgentVersion>>(() => ReadAsync(k.Workspace, k.Hash)));
        try
        {
            var agent = await lazy.Value.WaitAsync(cancellationToken);
            lock (_order)
            {
                // Under a lock: two loads of one key must not queue it twice (its second dequeue would evict a version in use).
                if (!_order.Contains(key))
                {
                    _order.Enqueue(key);
                    while (_order.Count > CacheLimit && _order.TryDequeue(out var oldest))
                    {
                        _loaded.TryRemove(oldest, out _);
                    }
                }
            }

            return agent;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failed load is not kept: the next run tries again (a StoreException, or anything else the load threw).
            _loaded.TryRemove(KeyValuePair.Create(key, lazy));
            throw;
        }
    }

    private async Task<AgentVersion> ReadAsync(string workspaceId, string hash)
    {
        var content = await registry.GetVersionContentAsync(workspaceId, hash, CancellationToken.None)
            ?? throw new StoreException($"the files of version {hash} are missing from the registry of workspace '{workspaceId}'");
        try
        {
            // With the composition's C# policies, so a released version whose rules name a plugin policy loads as its folder would.
            return content.Load(components.PolicyOptions());
        }
        catch (BundleLoadException ex)
        {
            throw new StoreException($"version {hash} in workspace '{workspaceId}' does not load from its stored files: {ex.Message}", ex);
        }
    }
}
