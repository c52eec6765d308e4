using System.Data;
using Keel.Audit;
using Keel.Model;
using Keel.Storage.Postgres.Runs;

namespace Keel.Storage.Postgres;

/// <summary>The incremental write path and the audit log of the store.</summary>
public sealed partial class PostgresRunStore
{
    /// <summary>Stores what a live run gained since it was last stored, in one transaction under the workspace's ledger lock: the first
    /// call inserts the run; every call writes the events after the stored last one (redacted, chained onto the stored head), their
    /// decision and finding rows, new failures, and the run's status, event count and handoff packet, and appends one ledger row. A call
    /// that finds nothing new writes nothing (no ledger row).</summary>
    /// <param name="run">The live run: the same run that was appended before, with more events, failures or a new status.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is written when cancelled.</param>
    /// <returns>A task that completes when the transaction has committed.</returns>
    /// <remarks>The stored head is read under the workspace's ledger lock and a lock on the run row: two appends to the same run (from
    /// any instance) are serialized, and the second writes only what the first did not, so the chain never forks.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is <see langword="null"/>.</exception>
    /// <exception cref="StoreException">The write failed, or the store holds more events or failures of the run than <paramref name="run"/>
    /// has; nothing of this append was written.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Task AppendAsync(Run run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return WriteLiveAsync(run, (connection, transaction) => _writer.AppendAsync(connection, transaction, run),
            $"the append to run '{run.Id}' of workspace '{run.WorkspaceId}' was not stored; nothing of it was written", cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public async Task<IReadOnlyList<AuditEventRecord>> GetEventRecordsAsync(
        string workspaceId, string runId, long afterSequence = 0, int limit = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceId);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 10_000);
        return await _database.InTransactionAsync(
            IsolationLevel.ReadCommitted,
            (connection, transaction) => AuditRecordReader.RunEventsAsync(connection, transaction, workspaceId, runId, afterSequence, limit, cancellationToken),
            $"the events of run '{runId}' of workspace '{workspaceId}' could not be read",
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Reads one snapshot (a repeatable-read, read-only transaction): writers on every instance go on meanwhile, and the check
    /// sees each commit whole or not at all.</remarks>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Task<AuditReport> VerifyAsync(string? workspaceId = null, CancellationToken cancellationToken = default) =>
        _database.InTransactionAsync(
            IsolationLevel.RepeatableRead,
            async (connection, transaction) =>
            {
                var ledger = await AuditRecordReader.LedgerAsync(connection, transaction, workspaceId, cancellationToken);
                return AuditVerifier.Verify(ledger, AuditRecordReader.Events(connection, transaction, workspaceId));
            },
            "the audit log could not be read",
            cancellationToken);

    /// <summary>Runs a write to one run in a read-committed transaction that holds the run's workspace ledger lock from its first statement.</summary>
    private Task<T> WriteLiveAsync<T>(Run run, Func<Npgsql.NpgsqlConnection, Npgsql.NpgsqlTransaction, Task<T>> write, string failure, CancellationToken cancellationToken) =>
        _database.InTransactionAsync(IsolationLevel.ReadCommitted, async (connection, transaction) =>
        {
            await Sql.LockAsync(connection, transaction, [LockKeys.Ledger(run.WorkspaceId)]);
            return await write(connection, transaction);
        }, failure, cancellationToken);
}
