using System.Data;
using Keel.Model;
using Keel.Storage.Postgres.Gateway;
using Keel.Storage.Postgres.Runs;

namespace Keel.Storage.Postgres;

/// <summary>The live path's port (<see cref="ILiveRunStore"/>): runs created under a globally unique id, and one transaction per
/// request for its events, approval and idempotency answer, with the optimistic check on the run's head inside it.</summary>
public sealed partial class PostgresRunStore : ILiveRunStore
{
    /// <inheritdoc />
    /// <remarks>The id goes into <c>live_run_ids</c> (primary key) with <c>ON CONFLICT DO NOTHING</c> in the same transaction as the
    /// run's first append: a concurrent creation of the same id on any instance waits for this one and then finds the key taken.</remarks>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Task<bool> TryCreateRunAsync(Run run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return WriteLiveAsync(run, async (connection, transaction) =>
        {
            var claimed = await Sql.ExecuteAsync(connection, transaction, "INSERT INTO live_run_ids (id, workspace_id) VALUES (@id, @ws) ON CONFLICT (id) DO NOTHING",
                ("id", run.Id), ("ws", run.WorkspaceId));
            if (claimed == 0 || await RunWriter.HeadSequenceForUpdateAsync(connection, transaction, run.WorkspaceId, run.Id) is not null)
            {
                return false;
            }

            await _writer.AppendAsync(connection, transaction, run);
            return true;
        }, $"run '{run.Id}' of workspace '{run.WorkspaceId}' was not created; nothing of it was written", cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The run row is locked (<c>FOR UPDATE</c>) and its head compared with <see cref="RunCommit.ExpectedSequence"/> inside the
    /// transaction, under the workspace's ledger lock; on a mismatch the transaction writes nothing.</remarks>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Task<RunCommitStatus> CommitAsync(RunCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var run = commit.Run;
        var now = _database.Time.GetUtcNow();
        return WriteLiveAsync(run, async (connection, transaction) =>
        {
            if ((await RunWriter.HeadSequenceForUpdateAsync(connection, transaction, run.WorkspaceId, run.Id) ?? 0) != commit.ExpectedSequence)
            {
                return RunCommitStatus.Conflict;
            }

            await _writer.AppendAsync(connection, transaction, run);
            if (commit.NewApproval is { } approval)
            {
                await ApprovalRows.InsertAsync(connection, transaction, approval);
            }

            if (commit.Idempotency is { } answer)
            {
                await IdempotencyRows.CompleteAsync(connection, transaction, answer.WorkspaceId, answer.KeyId, answer.IdempotencyKey, answer.Response, now);
            }

            return RunCommitStatus.Committed;
        }, $"the commit to run '{run.Id}' of workspace '{run.WorkspaceId}' was not stored; nothing of it was written", cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Task<long?> GetHeadSequenceAsync(string workspaceId, string runId, CancellationToken cancellationToken = default) =>
        _database.InTransactionAsync(IsolationLevel.ReadCommitted, async (connection, transaction) =>
        {
            var value = await Sql.ScalarAsync(connection, transaction, """
                SELECT coalesce((SELECT max(seq) FROM events WHERE workspace_id = @ws AND run_id = @id), 0) FROM runs WHERE workspace_id = @ws AND id = @id
                """, ("ws", workspaceId), ("id", runId));
            return value is long sequence ? sequence : (long?)null;
        }, $"run '{runId}' of workspace '{workspaceId}' could not be read", cancellationToken);
}
