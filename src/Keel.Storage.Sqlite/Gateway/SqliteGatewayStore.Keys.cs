using Keel.Tenancy;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Gateway;

public sealed partial class SqliteGatewayStore
{
    /// <inheritdoc />
    public Task<(ApiKey Record, string Key)> CreateKeyAsync(string workspaceId, string name, KeelRole role, string? agent, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (KeelRoles.CheckAgent(role, agent) is { } wrongAgent)
        {
            throw new ArgumentException(wrongAgent, nameof(agent));
        }

        var now = _time.GetUtcNow();
        return InTransactionAsync(write: true, (connection, transaction) =>
        {
            using var exists = Command(connection, transaction, "SELECT 1 FROM workspaces WHERE id = $id", ("$id", workspaceId));
            return exists.ExecuteScalar() is null
                ? throw new StoreException($"{_name}: workspace '{workspaceId}' does not exist; create it with 'keel workspace create {workspaceId}'")
                : InsertKey(connection, transaction, workspaceId, name, role, agent, now);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ApiKey?> AuthenticateAsync(string? presentedKey, CancellationToken cancellationToken = default)
    {
        if (!ApiKeySecret.TryParse(presentedKey, out var id, out var secret))
        {
            return null;
        }

        var found = await InTransactionAsync(write: false, (connection, transaction) =>
        {
            using var command = Command(connection, transaction, $"SELECT {KeyColumns}, secret_sha256 FROM api_keys WHERE id = $id", ("$id", id));
            using var reader = command.ExecuteReader();
            return reader.Read() ? (ReadKey(reader), reader.GetString(7)) : ((ApiKey, string)?)null;
        }, cancellationToken);
        return found is { } f && f.Item1.RevokedAt is null && ApiKeySecret.Matches(secret, f.Item2) ? f.Item1 : null;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKey>> ListKeysAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: false, (connection, transaction) =>
        {
            using var command = Command(connection, transaction, $"SELECT {KeyColumns} FROM api_keys WHERE workspace_id = $ws ORDER BY created_at, id", ("$ws", workspaceId));
            using var reader = command.ExecuteReader();
            var keys = new List<ApiKey>();
            while (reader.Read())
            {
                keys.Add(ReadKey(reader));
            }

            return (IReadOnlyList<ApiKey>)keys;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeKeyAsync(string workspaceId, string keyId, CancellationToken cancellationToken = default)
    {
        var now = SqliteTime.ToUtcText(_time.GetUtcNow());
        return InTransactionAsync(write: true, (connection, transaction) =>
        {
            Execute(connection, transaction, "UPDATE api_keys SET revoked_at = $at WHERE workspace_id = $ws AND id = $id AND revoked_at IS NULL",
                ("$at", now), ("$ws", workspaceId), ("$id", keyId));
            using var command = Command(connection, transaction, "SELECT 1 FROM api_keys WHERE workspace_id = $ws AND id = $id", ("$ws", workspaceId), ("$id", keyId));
            return command.ExecuteScalar() is not null;
        }, cancellationToken);
    }

    private const string KeyColumns = "id, workspace_id, name, role, agent, created_at, revoked_at";

    private static ApiKey ReadKey(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), RunEventJson.ReadStoredEnum<KeelRole>(reader.GetString(3), "api_keys.role"), Text(reader, 4),
        SqliteTime.FromUtcText(reader.GetString(5), 0), Text(reader, 6) is { } revoked ? SqliteTime.FromUtcText(revoked, 0) : null);

    private static (ApiKey Record, string Key) InsertKey(SqliteConnection connection, SqliteTransaction transaction, string workspaceId, string name, KeelRole role, string? agent, DateTimeOffset now)
    {
        var (id, key, hash) = ApiKeySecret.Generate();
        Execute(connection, transaction, """
            INSERT INTO api_keys (id, workspace_id, name, role, agent, secret_sha256, created_at)
            VALUES ($id, $ws, $name, $role, $agent, $hash, $at)
            """, ("$id", id), ("$ws", workspaceId), ("$name", name), ("$role", KeelRoles.Name(role)), ("$agent", agent), ("$hash", hash),
            ("$at", SqliteTime.ToUtcText(now)));
        return (new ApiKey(id, workspaceId, name, role, agent, now), key);
    }
}
