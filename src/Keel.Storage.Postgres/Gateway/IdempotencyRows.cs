using Npgsql;

namespace Keel.Storage.Postgres.Gateway;

/// <summary>Storing an idempotency record's answer inside the caller's transaction (the gateway store and the live path's commit share it).</summary>
internal static class IdempotencyRows
{
    /// <summary>Stores the answer of a claimed key.</summary>
    /// <returns>The number of rows changed: 1, or 0 when the key was not claimed.</returns>
    /// <exception cref="NpgsqlException">The write failed.</exception>
    public static Task<int> CompleteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, string keyId, string idempotencyKey, StoredResponse response, DateTimeOffset now) =>
        Sql.ExecuteAsync(connection, transaction, """
            UPDATE idempotency SET status_code = @s, content_type = @ct, response_body = @b, completed_at = @at
            WHERE workspace_id = @ws AND key_id = @k AND idem_key = @i
            """,
            ("s", response.StatusCode), ("ct", response.ContentType), ("b", response.Body), ("at", PostgresTime.ToUtcText(now)),
            ("ws", workspaceId), ("k", keyId), ("i", idempotencyKey));
}
