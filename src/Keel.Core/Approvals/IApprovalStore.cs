namespace Keel.Approvals;

/// <summary>Durable approvals: held calls waiting for people, bound to a run and a call digest, single-use and expiring fail-closed.</summary>
/// <remarks>Implementations are thread-safe and make <see cref="TryConsumeAsync"/> atomic: of any number of concurrent callers
/// at most one consumes a granted approval. Every method is filtered by workspace.</remarks>
public interface IApprovalStore
{
    /// <summary>Stores a new pending approval, or returns the pending one that already holds the same call (same workspace, run,
    /// digest and plan digest), so re-proposing a held call does not ask people twice.</summary>
    /// <param name="approval">The approval to store (status <see cref="ApprovalStatus.Pending"/>).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored approval and whether it is new.</returns>
    /// <exception cref="Storage.StoreException">The write failed.</exception>
    Task<(Approval Approval, bool Created)> RequestAsync(Approval approval, CancellationToken cancellationToken = default);

    /// <summary>Finds the pending approval that already holds the same call (same workspace, run, digest and plan digest, not
    /// expired at <paramref name="now"/>), so re-proposing a held call does not ask people twice.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run.</param>
    /// <param name="digest">The call digest.</param>
    /// <param name="planDigest">The diff's digest, or <see langword="null"/> for a plain approval.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The newest such approval, or <see langword="null"/>.</returns>
    /// <exception cref="Storage.StoreException">The read failed.</exception>
    Task<Approval?> FindPendingAsync(string workspaceId, string runId, string digest, string? planDigest, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Reads an approval.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="approvalId">The approval id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The approval, or <see langword="null"/> when the workspace has none with this id.</returns>
    Task<Approval?> GetAsync(string workspaceId, string approvalId, CancellationToken cancellationToken = default);

    /// <summary>Lists approvals, newest first.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="status">Only this stored status; <see langword="null"/> for all.</param>
    /// <param name="limit">At most this many (1–1,000).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The approvals.</returns>
    Task<IReadOnlyList<Approval>> ListAsync(string workspaceId, ApprovalStatus? status, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>The approvals of one run still pending at <paramref name="now"/> (stored as pending and not expired), the first to expire
    /// first: what a held run waits on. Read through the run's own rows (index <c>approvals_by_call</c>), however many approvals the
    /// workspace has pending.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The run's pending approvals, by expiry then id; empty when it has none.</returns>
    /// <exception cref="Storage.StoreException">The read failed.</exception>
    Task<IReadOnlyList<Approval>> ListPendingForRunAsync(string workspaceId, string runId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Records one person's decision (<see cref="ApprovalDecision.Apply"/>) atomically.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="approvalId">The approval id.</param>
    /// <param name="by">Who decides.</param>
    /// <param name="approve">Approve or deny.</param>
    /// <param name="note">A note, or <see langword="null"/>.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The updated approval, or an error; (<see langword="null"/>, <see langword="null"/>) when there is no such approval.</returns>
    Task<(Approval? Approval, string? Error)> DecideAsync(string workspaceId, string approvalId, string by, bool approve, string? note, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Atomically uses a granted, unexpired approval of this run whose digest (and plan digest, when given) match:
    /// it becomes <see cref="ApprovalStatus.Used"/> and is never consumed again.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run.</param>
    /// <param name="digest">The call digest.</param>
    /// <param name="planDigest">The current diff's digest, or <see langword="null"/> for a plain approval.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The consumed approval, or <see langword="null"/> when none matches.</returns>
    Task<Approval?> TryConsumeAsync(string workspaceId, string runId, string digest, string? planDigest, DateTimeOffset now, CancellationToken cancellationToken = default);
}
