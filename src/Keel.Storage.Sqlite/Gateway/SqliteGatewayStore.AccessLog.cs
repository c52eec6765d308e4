namespace Keel.Storage.Sqlite.Gateway;

public sealed partial class SqliteGatewayStore
{
    /// <inheritdoc />
    public Task LogAccessAsync(AccessLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return InTransactionAsync(write: true, (connection, transaction) => Execute(connection, transaction, """
            INSERT INTO access_log (at, workspace_id, key_id, method, path, status_code, reason) VALUES ($at, $ws, $k, $m, $p, $s, $r)
            """, ("$at", SqliteTime.ToUtcText(entry.At)), ("$ws", entry.WorkspaceId), ("$k", entry.KeyId), ("$m", entry.Method), ("$p", entry.Path),
            ("$s", entry.StatusCode), ("$r", entry.Reason)), cancellationToken);
    }

    /// <inheritdoc />
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

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> OwnersOfAsync(ResourceKind kind, string id, CancellationToken cancellationToken = default)
    {
        var table = kind switch
        {
            ResourceKind.Run => "runs",
            ResourceKind.Approval => "approvals",
            ResourceKind.ApiKey => "api_keys",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a resource kind"),
        };

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
