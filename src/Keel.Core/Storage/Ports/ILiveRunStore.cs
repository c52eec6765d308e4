using Keel.Approvals;
using Keel.Model;

namespace Keel.Storage;

/// <summary>Storage port of the live path: creating a run under a globally unique id, and one commit per request — the run's new
/// events, the approval its held call requested and the idempotency answer — in a single transaction.</summary>
/// <remarks>
/// <para>Implementations are thread-safe and, for a shared database, safe across processes. Everything is sealed in Core first
/// (<see cref="SealedLiveRunStore"/>): events by <see cref="SealedRun"/>, the approval and the answer by <see cref="RecordSealer"/>.</para>
/// <para>The workspace budget is not part of the commit: it is reserved atomically, on its own, before the step runs
/// (<see cref="Budgets.IBudgetLedger"/>), since a reservation must hold before a tool executes for concurrent callers on any
/// instance never to overspend.</para>
/// </remarks>
public interface ILiveRunStore
{
    /// <summary>Creates a live run with the events it has so far, unless any workspace holds the id: a unique constraint decides,
    /// so of concurrent creations of one id (on any instance) exactly one succeeds.</summary>
    /// <param name="run">The new run.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when created; <see langword="false"/> when the id is taken (in this or another workspace).</returns>
    /// <exception cref="StoreException">The write failed; nothing was stored.</exception>
    Task<bool> TryCreateRunAsync(Run run, CancellationToken cancellationToken = default);

    /// <summary>Commits one request's changes to a live run in one transaction: the events after <see cref="RunCommit.ExpectedSequence"/>
    /// (chained onto the stored head), the run's status and failures, the new approval (if any) and the idempotency answer (if any).
    /// All of it lands or none of it does.</summary>
    /// <param name="commit">What to commit.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is written when cancelled.</param>
    /// <returns><see cref="RunCommitStatus.Committed"/>, or <see cref="RunCommitStatus.Conflict"/> (nothing written) when the stored
    /// run's last sequence number is not <see cref="RunCommit.ExpectedSequence"/>: another instance committed first.</returns>
    /// <exception cref="StoreException">The write failed; nothing was stored.</exception>
    Task<RunCommitStatus> CommitAsync(RunCommit commit, CancellationToken cancellationToken = default);

    /// <summary>The sequence number of a run's last stored event, so an instance can tell whether its cached state is current.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The last sequence number (0 for a run without events), or <see langword="null"/> when the workspace has no such run.</returns>
    /// <exception cref="StoreException">The read failed.</exception>
    Task<long?> GetHeadSequenceAsync(string workspaceId, string runId, CancellationToken cancellationToken = default);
}

/// <summary>One request's changes to a live run, committed together by <see cref="ILiveRunStore.CommitAsync"/>.</summary>
/// <param name="Run">The live run: its events after <see cref="ExpectedSequence"/> are new.</param>
/// <param name="ExpectedSequence">The sequence number of the last event stored when the request began.</param>
public sealed record RunCommit(Run Run, long ExpectedSequence)
{
    /// <summary>A new approval the request's held call asked for; <see langword="null"/> for none (or when an existing pending one is reused).</summary>
    public Approval? NewApproval { get; init; }

    /// <summary>The idempotency answer to store with the commit; <see langword="null"/> when the request has no idempotency key.</summary>
    public IdempotencyCompletion? Idempotency { get; init; }
}

/// <summary>An idempotency record's answer, stored in the same transaction as the change it answers for.</summary>
/// <param name="WorkspaceId">The workspace.</param>
/// <param name="KeyId">The sender's API key id.</param>
/// <param name="IdempotencyKey">The idempotency key, claimed before (<see cref="IIdempotencyStore.ClaimAsync"/>).</param>
/// <param name="Response">The answer.</param>
public sealed record IdempotencyCompletion(string WorkspaceId, string KeyId, string IdempotencyKey, StoredResponse Response);

/// <summary>The outcome of <see cref="ILiveRunStore.CommitAsync"/>.</summary>
public enum RunCommitStatus
{
    /// <summary>Everything is stored and durable.</summary>
    Committed,

    /// <summary>Nothing was stored: the run's stored head moved since the request began (another instance committed).</summary>
    Conflict,
}
