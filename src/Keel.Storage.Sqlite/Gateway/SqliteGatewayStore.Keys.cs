using Keel.Tenancy;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Gateway;

public sealed partial class SqliteGatewayStore
{
    /// <summary>Creates an API key; only the SHA-256 of its secret is stored.</summary>
    /// <param name="workspaceId">The workspace it acts in.</param>
    /// <param name="name">Who holds it.</param>
    /// <param name="role">What it may do.</param>
    /// <param name="agent">For agent keys, the agent; must be <see langword="null"/> for other roles.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored key and the full key text (shown once, never stored).</returns>
    /// <exception cref="ArgumentException">An agent key without an agent, or another role with one.</exception>
    /// <exception cref="StoreException">The workspace does not exist, or the write failed.</exception>
    public Task<(ApiKey Record, string Key)> CreateKeyAsync(string workspaceId, string name, KeelRole role, string? agent, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if ((role == KeelRole.Agent) != !string.IsNullOrWhiteSpace(agent))
        {
            throw new ArgumentException(role == KeelRole.Agent ? "an agent key needs the agent it acts for" : $"only agent keys name an agent, not {role} keys", nameof(agent));
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

    /// <summary>Finds the valid (not revoked) key a caller presented.</summary>
    /// <param name="presentedKey">The key text.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The key, or <see langword="null"/> when it is malformed, unknown, revoked or its secret does not match.</returns>
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

    /// <summary>Lists the workspace's keys, oldest first (never their secrets).</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The keys.</returns>
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

    /// <summary>Revokes a key of the workspace; it stops working at once.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="keyId">The key id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether the workspace had such a key (revoking twice keeps the first time).</returns>
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
        reader.GetString(0), reader.GetString(1), reader.GetString(2), Enum.Parse<KeelRole>(reader.GetString(3), ignoreCase: true), Text(reader, 4),
        SqliteTime.FromUtcText(reader.GetString(5), 0), Text(reader, 6) is { } revoked ? SqliteTime.FromUtcText(revoked, 0) : null);

    private static (ApiKey Record, string Key) InsertKey(SqliteConnection connection, SqliteTransaction transaction, string workspaceId, string name, KeelRole role, string? agent, DateTimeOffset now)
    {
        var (id, key, hash) = ApiKeySecret.Generate();
        Execute(connection, transaction, """
            INSERT INTO api_keys (id, workspace_id, name, role, agent, secret_sha256, created_at)
            VALUES ($id, $ws, $name, $role, $agent, $hash, $at)
            """, ("$id", id), ("$ws", workspaceId), ("$name", name), ("$role", role.ToString().ToLowerInvariant()), ("$agent", agent), ("$hash", hash),
            ("$at", SqliteTime.ToUtcText(now)));
        return (new ApiKey(id, workspaceId, name, role, agent, now), key);
    }
}
