namespace Keel.Storage;

/// <summary>Storage port for the access log: every refused access (another workspace's id, a role that may not do this).</summary>
/// <remarks>Implementations are thread-safe. Entries are sealed (<see cref="RecordSealer.Seal(AccessLogEntry)"/>) before they are stored.</remarks>
public interface IAccessLog
{
    /// <summary>Records a refused access.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when stored.</returns>
    /// <exception cref="StoreException">The write failed.</exception>
    Task LogAccessAsync(AccessLogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Lists the workspace's refused accesses, newest first.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="limit">At most this many (1–10,000).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="StoreException">The read failed.</exception>
    Task<IReadOnlyList<AccessLogEntry>> ListAccessLogAsync(string workspaceId, int limit = 100, CancellationToken cancellationToken = default);
}

/// <summary>One refused access, as recorded.</summary>
/// <param name="At">When (UTC).</param>
/// <param name="WorkspaceId">The caller's workspace.</param>
/// <param name="KeyId">The caller's key id.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path.</param>
/// <param name="StatusCode">The status answered (403).</param>
/// <param name="Reason">Why, e.g. "run 'r1' belongs to another workspace".</param>
public sealed record AccessLogEntry(DateTimeOffset At, string WorkspaceId, string KeyId, string Method, string Path, int StatusCode, string Reason);
