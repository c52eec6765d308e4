namespace Keel.Storage.Postgres.Gateway;

public sealed partial class PostgresGatewayStore
{
    /// <inheritdoc />
    public Task LogAccessAsync(AccessLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return InTransactionAsync((connection, transaction) => Sql.ExecuteAsync(connection, transaction, """
            INSERT INTO access_log (at, workspace_id, key_id, method, path, status_code, reason) VALUES (@at, @ws, @k, @m, @p, @s, @r)
            """, ("at", PostgresTime.ToUtcText(entry.At)), ("ws", entry.WorkspaceId), ("k", entry.KeyId), ("m", entry.Method), ("p", entry.Path),
            ("s", entry.StatusCode), ("r", entry.Reason)), $"an access-log entry of workspace '{entry.WorkspaceId}' was not stored", cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AccessLogEntry>> ListAccessLogAsync(string workspaceId, int limit = 100, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = Sql.Command(connection, transaction, """
                SELECT at, workspace_id, key_id, method, path, status_code, reason FROM access_log WHERE workspace_id = @ws ORDER BY id DESC LIMIT @l
                """, ("ws", workspaceId), ("l", Math.Clamp(limit, 1, 10_000)));
            await using var reader = await command.ExecuteReaderAsync();
            var list = new List<AccessLogEntry>();
            while (await reader.ReadAsync())
            {
                list.Add(new AccessLogEntry(PostgresTime.FromUtcText(reader.GetString(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetString(4), reader.GetInt32(5), reader.GetString(6)));
            }

            return (IReadOnlyList<AccessLogEntry>)list;
        }, $"the access log of workspace '{workspaceId}' could not be read", cancellationToken);

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

        return InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = Sql.Command(connection, transaction, $"SELECT DISTINCT workspace_id FROM {table} WHERE id = @id ORDER BY workspace_id", ("id", id));
            await using var reader = await command.ExecuteReaderAsync();
            var owners = new List<string>();
            while (await reader.ReadAsync())
            {
                owners.Add(reader.GetString(0));
            }

            return (IReadOnlyList<string>)owners;
        }, $"the owners of {kind} '{id}' could not be read", cancellationToken);
    }
}
