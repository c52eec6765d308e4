namespace Keel.Storage;

/// <summary>The live path's port over a backend, with the approval and the idempotency answer of every commit sealed
/// (<see cref="RecordSealer"/>) before the backend stores them; events are sealed by the backend through <see cref="SealedRun"/>.</summary>
/// <param name="inner">The backend.</param>
/// <param name="sealer">The sealer.</param>
public sealed class SealedLiveRunStore(ILiveRunStore inner, RecordSealer sealer) : ILiveRunStore
{
    /// <inheritdoc />
    public Task<bool> TryCreateRunAsync(Model.Run run, CancellationToken cancellationToken = default) => inner.TryCreateRunAsync(run, cancellationToken);

    /// <inheritdoc />
    public Task<RunCommitStatus> CommitAsync(RunCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return inner.CommitAsync(commit with
        {
            NewApproval = commit.NewApproval is { } approval ? sealer.Seal(approval) : null,
            Idempotency = commit.Idempotency is { } idempotency ? idempotency with { Response = sealer.SealResponseBody(idempotency.Response) } : null,
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<long?> GetHeadSequenceAsync(string workspaceId, string runId, CancellationToken cancellationToken = default) =>
        inner.GetHeadSequenceAsync(workspaceId, runId, cancellationToken);
}
