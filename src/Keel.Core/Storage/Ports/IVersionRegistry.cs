using Keel.Model;
using Keel.Versions;

namespace Keel.Storage;

/// <summary>Storage port of the version registry (docs/versions.md): agent versions by content hash with their files stored
/// content-addressed, their states, and the workspace's hash-chained version history. Every action is checked and applied by
/// <see cref="VersionLifecycle"/> inside one write transaction, so two operators (or instances) never both release.</summary>
/// <remarks>Implemented by the backends' gateway stores; thread-safe and, for a shared database, safe across processes. Every
/// query is filtered by workspace.</remarks>
public interface IVersionRegistry
{
    /// <summary>Registers a version as a draft with its files, and appends a <c>register</c> entry to the history — unless a version
    /// with the same hash is registered in the workspace, in which case nothing changes (a version is immutable).</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="agent">The version loaded from the files (name, version label, model).</param>
    /// <param name="content">The files and the hash.</param>
    /// <param name="actor">Who registers it.</param>
    /// <param name="note">A note; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored record and whether it was created now.</returns>
    /// <exception cref="StoreException">The write failed; nothing was stored.</exception>
    Task<(VersionRecord Record, bool Created)> RegisterVersionAsync(string workspaceId, AgentVersion agent, BundleContent content, string actor, string? note, CancellationToken cancellationToken = default);

    /// <summary>Reads one version.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="hash">The content hash.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or <see langword="null"/> when not registered in the workspace.</returns>
    /// <exception cref="StoreException">The read failed.</exception>
    Task<VersionRecord?> GetVersionAsync(string workspaceId, string hash, CancellationToken cancellationToken = default);

    /// <summary>Lists versions, per agent (ordinal) and oldest first.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="agent">Only this agent's; <see langword="null"/> for every agent.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records.</returns>
    /// <exception cref="StoreException">The read failed.</exception>
    Task<IReadOnlyList<VersionRecord>> ListVersionsAsync(string workspaceId, string? agent, CancellationToken cancellationToken = default);

    /// <summary>Reads a version's files, so it can be loaded (<see cref="BundleContent.Load"/>) without its folder.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="hash">The content hash.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The content, or <see langword="null"/> when not registered in the workspace.</returns>
    /// <exception cref="StoreException">The read failed.</exception>
    Task<BundleContent?> GetVersionContentAsync(string workspaceId, string hash, CancellationToken cancellationToken = default);

    /// <summary>Applies an action (<see cref="VersionLifecycle.Plan"/> on the agent's versions as stored, dated by the store's
    /// clock) and appends its entry to the history, in one transaction.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="action">The action.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The outcome; a refusal changed nothing.</returns>
    /// <exception cref="StoreException">The write failed; nothing was changed.</exception>
    Task<VersionOutcome> ApplyVersionActionAsync(string workspaceId, VersionAction action, CancellationToken cancellationToken = default);

    /// <summary>Reads the workspace's version history, oldest first (check it with <see cref="VersionHistory.Verify"/>).</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="StoreException">The read failed.</exception>
    Task<IReadOnlyList<VersionEvent>> ListVersionHistoryAsync(string workspaceId, CancellationToken cancellationToken = default);
}
