using System.Collections.Concurrent;
using Keel.Storage.Sqlite.Gateway;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>Group commit of the live path: requests that commit while another commit holds the connection queue up, and the next
/// one to get the connection commits all of them (up to <see cref="MaxGroupSize"/>) in one <c>BEGIN IMMEDIATE</c> transaction,
/// each inside its own savepoint.</summary>
/// <remarks>
/// <para>Each request is answered only once the transaction that holds its rows has committed, and with its own outcome: a request
/// whose run moved (<see cref="RunCommitStatus.Conflict"/>) or whose rows are refused has its savepoint rolled back and nothing of it
/// written, while the others of the group commit; when the transaction itself fails (disk full), every request of the group gets a
/// <see cref="StoreException"/> and nothing of any is written. Two requests of one run in one group are checked and written in queue
/// order, so the second sees the first's events, as with two transactions.</para>
/// <para>Why: a commit of this store writes every page it changed to the write-ahead log (16 KiB pages: the run row, the events,
/// the audit ledger, the idempotency record and their indexes), and concurrent requests of different runs change many of the same
/// pages, so one transaction for a group writes far less than one per request. The gain is measured in docs/gateway-overhead.md.</para>
/// <para>Cancellation: a request cancelled before a group takes it is written by none (<see cref="OperationCanceledException"/>);
/// once taken, its outcome stands and is returned, so a caller never hears "cancelled" for rows that were committed.</para>
/// </remarks>
public sealed partial class SqliteRunStore
{
    /// <summary>The most requests one group transaction commits.</summary>
    public const int MaxGroupSize = 64;

    private readonly ConcurrentQueue<PendingCommit> _commits = new();
    private long _groupsCommitted;

    /// <summary>How many group transactions committed so far (diagnostics and tests).</summary>
    internal long GroupsCommitted => Interlocked.Read(ref _groupsCommitted);

    /// <inheritdoc />
    /// <remarks>Commits in a group with the requests queued beside it (see the remarks of this file's part of the class).</remarks>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public async Task<RunCommitStatus> CommitAsync(RunCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingCommit(commit);
        _commits.Enqueue(pending);
        try
        {
            await _gate.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (pending.TryCancel())
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return await pending.Outcome; // a group took it before the cancellation: its outcome stands
        }

        try
        {
            // Holding the gate, this request is either answered by an earlier group or still queued: commit groups until it is taken.
            while (!pending.Outcome.IsCompleted && CommitGroup() > 0)
            {
            }
        }
        finally
        {
            _gate.Release();
        }

        return await pending.Outcome;
    }

    /// <summary>Takes up to <see cref="MaxGroupSize"/> queued requests and commits them in one transaction; call holding the gate.</summary>
    /// <returns>How many requests were taken (and are now answered).</returns>
    private int CommitGroup()
    {
        var group = new List<PendingCommit>(Math.Min(_commits.Count, MaxGroupSize));
        while (group.Count < MaxGroupSize && _commits.TryDequeue(out var next))
        {
            if (next.TryTake())
            {
                group.Add(next);
            }
        }

        if (group.Count == 0)
        {
            return 0;
        }

        var outcomes = new RunCommitStatus[group.Count];
        var errors = new Exception?[group.Count];
        try
        {
            var (connection, saver, _) = EnsureOpen();
            var now = _timeProvider.GetUtcNow();
            using var transaction = SqliteDatabase.Begin(connection, deferred: false, _name);
            try
            {
                for (var i = 0; i < group.Count; i++)
                {
                    var commit = group[i].Commit;
                    var index = i;
                    errors[i] = saver.WriteInSavepoint(transaction, () => outcomes[index] = Write(connection, transaction, saver, commit, now));
                }

                transaction.Commit();
                Interlocked.Increment(ref _groupsCommitted);
            }
            catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
            {
                transaction.Rollback();
                var lost = $"it was part of a group commit of {group.Count} request(s) that failed as a whole. {ex.Message}";
                foreach (var pending in group)
                {
                    pending.Fail(NotStored(pending.Commit, lost, ex));
                }

                return group.Count;
            }
        }
        catch (Exception ex)
        {
            // The connection could not be opened, the store was disposed, or the transaction could not begin or roll back: every
            // request taken must still be answered, or its caller would wait forever.
            foreach (var pending in group)
            {
                pending.Fail(ex);
            }

            return group.Count;
        }

        for (var i = 0; i < group.Count; i++)
        {
            if (errors[i] is { } error)
            {
                group[i].Fail(error is SqliteException or InvalidOperationException or StoreException ? NotStored(group[i].Commit, error.Message, error) : error);
            }
            else
            {
                group[i].Succeed(outcomes[i]);
            }
        }

        return group.Count;
    }

    private static RunCommitStatus Write(SqliteConnection connection, SqliteTransaction transaction, RunSaver saver, RunCommit commit, DateTimeOffset now)
    {
        if ((HeadSequence(connection, transaction, commit.Run.WorkspaceId, commit.Run.Id) ?? 0) != commit.ExpectedSequence)
        {
            return RunCommitStatus.Conflict;
        }

        saver.Append(commit.Run);
        if (commit.NewApproval is { } approval)
        {
            SqliteGatewayStore.Insert(connection, transaction, approval);
        }

        if (commit.Idempotency is { } answer)
        {
            SqliteGatewayStore.Complete(connection, transaction, answer.WorkspaceId, answer.KeyId, answer.IdempotencyKey, answer.Response, now);
        }

        return RunCommitStatus.Committed;
    }

    private StoreException NotStored(RunCommit commit, string why, Exception error) =>
        new($"{_name}: the commit to run '{commit.Run.Id}' of workspace '{commit.Run.WorkspaceId}' was not stored; nothing of it was written: {why}", error);

    /// <summary>A request waiting for a group: queued, then taken by exactly one group or cancelled by its caller, never both.</summary>
    private sealed class PendingCommit(RunCommit commit)
    {
        private const int Queued = 0;
        private const int Taken = 1;
        private const int Cancelled = 2;

        private readonly TaskCompletionSource<RunCommitStatus> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _state;

        public RunCommit Commit => commit;

        public Task<RunCommitStatus> Outcome => _outcome.Task;

        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

        public bool TryCancel() => Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued;

        public void Succeed(RunCommitStatus status) => _outcome.SetResult(status);

        public void Fail(Exception error) => _outcome.SetException(error);
    }
}
