using Keel.Audit;
using Keel.Model;

namespace Keel.Storage.Sqlite;

/// <summary>The live write path and the audit log of the store.</summary>
public sealed partial class SqliteRunStore
{
    /// <summary>Stores what a live run gained since it was last stored, in one <c>BEGIN IMMEDIATE</c> transaction: the first
    /// call inserts the run; every call writes the events after the stored last one (redacted, chained onto the stored
    /// head), their decision and finding rows, new failures, and the run's status, event count and handoff packet, and
    /// appends one ledger row. Events already stored are never rewritten or compared. A call that finds nothing new
    /// writes nothing (no ledger row).</summary>
    /// <param name="run">The live run: the same run that was appended before, with more events, failures or a new status.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is written when cancelled.</param>
    /// <returns>A task that completes when the transaction has committed.</returns>
    /// <remarks>The stored head is read inside the write transaction, under SQLite's write lock: two appends to the same run
    /// (from this store, another store on the same file, or another process) are serialized, and the second writes only
    /// what the first did not, so the chain never forks.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is <see langword="null"/>.</exception>
    /// <exception cref="StoreException">The write failed, or the store holds more events or failures of the run than
    /// <paramref name="run"/> has (an append never removes anything; <see cref="SaveRunAsync"/> replaces a run); nothing of
    /// this append was written.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public async Task AppendAsync(Run run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            EnsureOpen().Saver.AppendOne(run, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
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
        return await ReadAsync(
            (connection, transaction) => AuditRecordReader.Events(connection, transaction, workspaceId, runId, afterSequence, limit).ToList(),
            $"the events of run '{runId}' of workspace '{workspaceId}' could not be read",
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Reads one consistent snapshot under the store's gate: this store's writes wait until the check is done.</remarks>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Task<AuditReport> VerifyAsync(string? workspaceId = null, CancellationToken cancellationToken = default) =>
        ReadAsync(
            (connection, transaction) => AuditVerifier.Verify(
                AuditRecordReader.Ledger(connection, transaction, workspaceId),
                AuditRecordReader.Events(connection, transaction, workspaceId)),
            "the audit log could not be read",
            cancellationToken);

    private async Task<T> ReadAsync<T>(Func<Microsoft.Data.Sqlite.SqliteConnection, Microsoft.Data.Sqlite.SqliteTransaction, T> read, string what, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var (connection, _, _) = EnsureOpen();
            using var transaction = SqliteDatabase.Begin(connection, deferred: true, _name);
            try
            {
                return read(connection, transaction);
            }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
            {
                throw new StoreException($"{_name}: {what}. {ex.Message}", ex);
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
