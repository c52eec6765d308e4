using Keel.Model;
using Keel.Storage.Sqlite.Gateway;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>The live path's port (<see cref="ILiveRunStore"/>): runs created under a globally unique id, and each request's events,
/// approval and idempotency answer committed together, in a group commit shared with the requests waiting beside it
/// (<c>SqliteRunStore.GroupCommit.cs</c>).</summary>
public sealed partial class SqliteRunStore : ILiveRunStore
{
    /// <inheritdoc />
    /// <remarks>The id goes into <c>live_run_ids</c> (primary key) in the same transaction as the run's first append.</remarks>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Task<bool> TryCreateRunAsync(Run run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return WriteAsync(run, (connection, transaction, saver) =>
        {
            using var claim = SqliteGatewayStore.Command(connection, transaction, "INSERT INTO live_run_ids (id, workspace_id) VALUES ($id, $ws) ON CONFLICT (id) DO NOTHING",
                ("$id", run.Id), ("$ws", run.WorkspaceId));
            if (claim.ExecuteNonQuery() == 0 || HeadSequence(connection, transaction, run.WorkspaceId, run.Id) is not null)
            {
                return false;
            }

            saver.Append(run);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Task<long?> GetHeadSequenceAsync(string workspaceId, string runId, CancellationToken cancellationToken = default) =>
        ReadAsync((connection, transaction) => HeadSequence(connection, transaction, workspaceId, runId), $"run '{runId}' could not be read", cancellationToken);

    private static long? HeadSequence(SqliteConnection connection, SqliteTransaction transaction, string workspaceId, string runId)
    {
        using var command = SqliteGatewayStore.Command(connection, transaction, "SELECT (SELECT max(seq) FROM events WHERE workspace_id = $ws AND run_id = $id) FROM runs WHERE workspace_id = $ws AND id = $id",
            ("$ws", workspaceId), ("$id", runId));
        var value = command.ExecuteScalar();
        return value switch
        {
            null => null,
            DBNull => 0,
            _ => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private async Task<T> WriteAsync<T>(Run run, Func<SqliteConnection, SqliteTransaction, RunSaver, T> write, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var (connection, saver, _) = EnsureOpen();
            cancellationToken.ThrowIfCancellationRequested();
            using var transaction = SqliteDatabase.Begin(connection, deferred: false, _name);
            try
            {
                var result = write(connection, transaction, saver);
                transaction.Commit();
                return result;
            }
            catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
            {
                transaction.Rollback();
                throw new StoreException($"{_name}: the commit to run '{run.Id}' of workspace '{run.WorkspaceId}' was not stored; nothing of it was written. {ex.Message}", ex);
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
