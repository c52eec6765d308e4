using Keel.Model;
using Keel.Redaction;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>Saves runs in transactions: one run per transaction, or a batch in one transaction with a savepoint per
/// run, so that each run is all-or-nothing. Turns every failure but cancellation into a <see cref="StoreException"/>
/// naming the runs.</summary>
/// <remarks>Not thread-safe: the store's gate serializes all use of its connection.</remarks>
internal sealed class RunSaver : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly string _store;
    private readonly RunWriter _writer;
    private readonly PreparedStatement _savepoint;
    private readonly PreparedStatement _release;
    private readonly PreparedStatement _rollBackTo;

    /// <summary>Prepares the statements; the schema must be migrated.</summary>
    /// <param name="connection">The store's connection.</param>
    /// <param name="path">The database file, for messages.</param>
    /// <param name="redactor">Applied before anything is written; <see langword="null"/> for none.</param>
    /// <param name="timeProvider">The clock for ledger rows.</param>
    public RunSaver(SqliteConnection connection, string path, Redactor? redactor, TimeProvider timeProvider)
    {
        _connection = connection;
        _store = $"SQLite store '{path}'";
        _writer = new RunWriter(connection, redactor, timeProvider);
        _savepoint = PreparedStatement.Create(connection, "SAVEPOINT keel_run", 0);
        _release = PreparedStatement.Create(connection, "RELEASE keel_run", 0);
        _rollBackTo = PreparedStatement.Create(connection, "ROLLBACK TO keel_run", 0);
    }

    /// <summary>Saves one run in its own transaction.</summary>
    /// <exception cref="StoreException">Nothing of the run was written.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the commit; nothing was written.</exception>
    public void SaveOne(Run run, SealedRun prepared, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var transaction = SqliteDatabase.Begin(_connection, deferred: false, _store);
        try
        {
            _writer.Save(run, prepared);
            cancellationToken.ThrowIfCancellationRequested();
            transaction.Commit();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            transaction.Rollback();
            throw new StoreException($"{_store}: run '{run.Id}' of workspace '{run.WorkspaceId}' was not saved; nothing of it was written. {ex.Message}", ex);
        }
    }

    /// <summary>Appends what a live run gained since it was stored, in its own <c>BEGIN IMMEDIATE</c> transaction: the stored
    /// head is read under the write lock, so a concurrent append (this process or another) never forks the chain.</summary>
    /// <exception cref="StoreException">Nothing of this append was written.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the commit; nothing was written.</exception>
    public void AppendOne(Run run, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var transaction = SqliteDatabase.Begin(_connection, deferred: false, _store);
        try
        {
            _writer.Append(run);
            cancellationToken.ThrowIfCancellationRequested();
            transaction.Commit();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            transaction.Rollback();
            throw new StoreException($"{_store}: the append to run '{run.Id}' of workspace '{run.WorkspaceId}' was not stored; nothing of it was written. {ex.Message}", ex);
        }
    }

    /// <summary>Appends what a live run gained inside the caller's transaction (the live path's commit).</summary>
    /// <exception cref="InvalidOperationException">The run could not be serialized, or the store holds more of it than given.</exception>
    /// <exception cref="SqliteException">A row was refused; the caller rolls back.</exception>
    public void Append(Run run) => _writer.Append(run);

    /// <summary>Saves runs in one transaction, each behind a savepoint: a run that fails is rolled back alone and the
    /// others are committed.</summary>
    /// <exception cref="StoreException">Some runs were not saved (the others were), or the transaction failed and none was.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the commit; nothing was written.</exception>
    public void SaveBatch(IReadOnlyList<Run> runs, IReadOnlyList<SealedRun> prepared, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var transaction = SqliteDatabase.Begin(_connection, deferred: false, _store);
        List<(Run Run, Exception Error)>? failed = null;
        var current = runs[0];
        try
        {
            for (var i = 0; i < runs.Count; i++)
            {
                current = runs[i];
                cancellationToken.ThrowIfCancellationRequested();
                var run = current;
                var sealedRun = prepared[i];
                if (WriteInSavepoint(transaction, () => _writer.Save(run, sealedRun)) is { } error)
                {
                    (failed ??= []).Add((run, error));
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            transaction.Commit();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            transaction.Rollback();
            throw new StoreException($"{_store}: none of the {runs.Count} runs of the batch was saved; the transaction failed at run '{current.Id}'. {ex.Message}", ex);
        }

        if (failed is not null)
        {
            var names = string.Join(", ", failed.Take(5).Select(f => $"'{f.Run.Id}' ({f.Error.Message})"));
            var more = failed.Count > 5 ? $" and {failed.Count - 5} more" : string.Empty;
            throw new StoreException(
                $"{_store}: {failed.Count} of {runs.Count} runs were not saved, and nothing of each was written: {names}{more}. "
                + $"The other {runs.Count - failed.Count} runs were saved.",
                failed.Count == 1 ? failed[0].Error : new AggregateException(failed.Select(f => f.Error)));
        }
    }

    /// <summary>Runs one write of a group (a batch of saved runs, a group commit of live requests) inside a savepoint of
    /// <paramref name="transaction"/>: when the write throws, its rows are rolled back and the exception is returned, and the
    /// transaction goes on with the next write.</summary>
    /// <param name="transaction">The open group transaction.</param>
    /// <param name="write">The write.</param>
    /// <returns><see langword="null"/> when the write's rows are in the transaction; the write's exception when they were rolled back.</returns>
    /// <exception cref="SqliteException">The savepoint could not be opened or released, or SQLite ended the whole transaction (disk
    /// full, I/O error; the write's own exception is rethrown then): nothing of the group stands, the caller rolls back.</exception>
    public Exception? WriteInSavepoint(SqliteTransaction transaction, Action write)
    {
        Enlist(transaction);
        _savepoint.Execute();
        Exception? error = null;
        try
        {
            write();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever the write threw is its own failure: its rows go, the group goes on.
            if (!TryRollBackToSavepoint())
            {
                throw; // SQLite already ended the whole transaction: the group is lost.
            }

            error = ex;
        }

        _release.Execute();
        return error;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _writer.Dispose();
        _savepoint.Dispose();
        _release.Dispose();
        _rollBackTo.Dispose();
    }

    private void Enlist(SqliteTransaction transaction)
    {
        _savepoint.Enlist(transaction);
        _release.Enlist(transaction);
        _rollBackTo.Enlist(transaction);
    }

    private bool TryRollBackToSavepoint()
    {
        try
        {
            _rollBackTo.Execute();
            return true;
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            return false;
        }
    }
}
