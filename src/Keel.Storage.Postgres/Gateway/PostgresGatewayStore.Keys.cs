using Keel.Tenancy;
using Npgsql;

namespace Keel.Storage.Postgres.Gateway;

public sealed partial class PostgresGatewayStore
{
    private const string KeyColumns = "id, workspace_id, name, role, agent, created_at, revoked_at";

    /// <inheritdoc />
    public async Task<(ApiKey Record, string Key)> CreateKeyAsync(string workspaceId, string name, KeelRole role, string? agent, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (KeelRoles.CheckAgent(role, agent) is { } wrongAgent)
        {
            throw new ArgumentException(wrongAgent, nameof(agent));
        }

        var now = _time.GetUtcNow();
        var created = await InTransactionAsync(async (connection, transaction) =>
            await Sql.ScalarAsync(connection, transaction, "SELECT 1 FROM workspaces WHERE id = @id", ("id", workspaceId)) is null
                ? ((ApiKey, string)?)null
                : await InsertKeyAsync(connection, transaction, workspaceId, name, role, agent, now),
            $"a key of workspace '{workspaceId}' was not created", cancellationToken);
        return created ?? throw new StoreException($"{Name}: workspace '{workspaceId}' does not exist; create it with 'keel workspace create {workspaceId}'");
    }

    /// <inheritdoc />
    public async Task<ApiKey?> AuthenticateAsync(string? presentedKey, CancellationToken cancellationToken = default)
    {
        if (!ApiKeySecret.TryParse(presentedKey, out var id, out var secret))
        {
            return null;
        }

        var found = await InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = Sql.Command(connection, transaction, $"SELECT {KeyColumns}, secret_sha256 FROM api_keys WHERE id = @id", ("id", id));
            await using var reader = await command.ExecuteReaderAsync();
            return await reader.ReadAsync() ? (ReadKey(reader), reader.GetString(7)) : ((ApiKey, string)?)null;
        }, "an API key could not be read", cancellationToken);
        return found is { } f && f.Item1.RevokedAt is null && ApiKeySecret.Matches(secret, f.Item2) ? f.Item1 : null;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKey>> ListKeysAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = Sql.Command(connection, transaction, $"SELECT {KeyColumns} FROM api_keys WHERE workspace_id = @ws ORDER BY created_at, id", ("ws", workspaceId));
            await using var reader = await command.ExecuteReaderAsync();
            var keys = new List<ApiKey>();
            while (await reader.ReadAsync())
            {
                keys.Add(ReadKey(reader));
            }

            return (IReadOnlyList<ApiKey>)keys;
        }, $"the keys of workspace '{workspaceId}' could not be listed", cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeKeyAsync(string workspaceId, string keyId, CancellationToken cancellationToken = default)
    {
        var now = PostgresTime.ToUtcText(_time.GetUtcNow());
        return InTransactionAsync(async (connection, transaction) =>
        {
            await Sql.ExecuteAsync(connection, transaction, "UPDATE api_keys SET revoked_at = @at WHERE workspace_id = @ws AND id = @id AND revoked_at IS NULL",
                ("at", now), ("ws", workspaceId), ("id", keyId));
            return await Sql.ScalarAsync(connection, transaction, "SELECT 1 FROM api_keys WHERE workspace_id = @ws AND id = @id", ("ws", workspaceId), ("id", keyId)) is not null;
        }, $"key '{keyId}' of workspace '{workspaceId}' was not revoked", cancellationToken);
    }

    private static ApiKey ReadKey(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), RunEventJson.ReadStoredEnum<KeelRole>(reader.GetString(3), "api_keys.role"), Sql.Text(reader, 4),
        PostgresTime.FromUtcText(reader.GetString(5)), Sql.Text(reader, 6) is { } revoked ? PostgresTime.FromUtcText(revoked) : null);

    private static async Task<(ApiKey Record, string Key)?> InsertKeyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, string name, KeelRole role, string? agent, DateTimeOffset now)
    {
        var (id, key, hash) = ApiKeySecret.Generate();
        await Sql.ExecuteAsync(connection, transaction, """
            INSERT INTO api_keys (id, workspace_id, name, role, agent, secret_sha256, created_at) VALUES (@id, @ws, @name, @role, @agent, @hash, @at)
            """, ("id", id), ("ws", workspaceId), ("name", name), ("role", KeelRoles.Name(role)), ("agent", agent), ("hash", hash),
            ("at", PostgresTime.ToUtcText(now)));
        return (new ApiKey(id, workspaceId, name, role, agent, now), key);
    }
}
