namespace Keel.Audit;

/// <summary>A store's audit log: its events with their hashes, and a check of the whole chain. Implemented by the stores
/// (<c>SqliteRunStore</c>, <see cref="Storage.InMemoryRunStore"/>); thread-safe like them.</summary>
public interface IAuditLog
{
    /// <summary>Reads the stored events of one run with their hashes, in sequence order, as the gateway API serves them
    /// (<c>GET /v1/runs/{run_id}/events?after=</c>): the payload is the stored, redacted JSON.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run.</param>
    /// <param name="afterSequence">Only events with a greater sequence number; 0 for all.</param>
    /// <param name="limit">At most this many events (1–10,000).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The events, oldest first; empty when the run has none after <paramref name="afterSequence"/> or does not exist.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterSequence"/> is negative or <paramref name="limit"/> is outside 1–10,000.</exception>
    /// <exception cref="Storage.StoreException">The store could not be read.</exception>
    Task<IReadOnlyList<AuditEventRecord>> GetEventRecordsAsync(
        string workspaceId, string runId, long afterSequence = 0, int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>Verifies the audit chain (<see cref="AuditVerifier"/>) of one workspace or of all of them.</summary>
    /// <param name="workspaceId">The workspace; <see langword="null"/> for every workspace.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>What was checked and every problem found.</returns>
    /// <exception cref="Storage.StoreException">The store could not be read.</exception>
    Task<AuditReport> VerifyAsync(string? workspaceId = null, CancellationToken cancellationToken = default);
}
