namespace Keel.Storage.Sqlite.Gateway;

/// <summary>One refused access, as recorded.</summary>
/// <param name="At">When (UTC).</param>
/// <param name="WorkspaceId">The caller's workspace.</param>
/// <param name="KeyId">The caller's key id.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path.</param>
/// <param name="StatusCode">The status answered (403).</param>
/// <param name="Reason">Why, e.g. "run 'r1' belongs to another workspace".</param>
public sealed record AccessLogEntry(DateTimeOffset At, string WorkspaceId, string KeyId, string Method, string Path, int StatusCode, string Reason);

public sealed partial class SqliteGatewayStore
{
    /// <summary>Records a refused access (a cross-workspace id, a role that may not do this).</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when stored.</returns>
    public Task LogAccessAsync(AccessLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return InTransactionAsync(write: true, (connection, transaction) => Execute(connection, transaction, """
            INSERT INTO access_log (at, workspace_id, key_id, method, path, status_code, reason) VALUES ($at, $ws, $k, $m, $p, $s, $r)
            """, ("$at", SqliteTime.ToUtcText(entry.At)), ("$ws", entry.WorkspaceId), ("$k", entry.KeyId), ("$m", entry.Method), ("$p", entry.Path),
            ("$s", entry.StatusCode), ("$r", entry.Reason)), cancellationToken);
    }

    /// <summary>Lists the workspace's refused accesses, newest first.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="limit">At most this many (1–10,000).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries.</returns>
    public Task<IReadOnlyList<AccessLogEntry>> ListAccessLogAsync(string workspaceId, int limit = 100, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: false, (connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                SELECT at, workspace_id, key_id, method, path, status_code, reason FROM access_log WHERE workspace_id = $ws ORDER BY id DESC LIMIT $l
                """, ("$ws", workspaceId), ("$l", Math.Clamp(limit, 1, 10_000)));
            using var reader = command.ExecuteReader();
            var list = new List<AccessLogEntry>();
            while (reader.Read())
            {
                list.Add(new AccessLogEntry(SqliteTime.FromUtcText(reader.GetString(0), 0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetString(4), reader.GetInt32(5), reader.GetString(6)));
            }

            return (IReadOnlyList<AccessLogEntry>)list;
        }, cancellationToken);

    /// <summary>Which workspace owns a run, approval or key id, for telling "another workspace's" (403) from "no such" (404).</summary>
    /// <param name="table">One of <c>runs</c>, <c>approvals</c>, <c>api_keys</c>.</param>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The owning workspaces (a client-chosen run id may exist in several); empty when none.</returns>
    /// <exception cref="ArgumentException"><paramref name="table"/> is not one of the three.</exception>
    public Task<IReadOnlyList<string>> OwnersOfAsync(string table, string id, CancellationToken cancellationToken = default)
    {
        if (table is not ("runs" or "approvals" or "api_keys"))
        {
            throw new ArgumentException($"'{table}' is not runs, approvals or api_keys", nameof(table));
        }

        return InTransactionAsync(write: false, (connection, transaction) =>
        {
            using var command = Command(connection, transaction, $"SELECT DISTINCT workspace_id FROM {table} WHERE id = $id", ("$id", id));
            using var reader = command.ExecuteReader();
            var owners = new List<string>();
            while (reader.Read())
            {
                owners.Add(reader.GetString(0));
            }

            return (IReadOnlyList<string>)owners;
        }, cancellationToken);
    }
}
