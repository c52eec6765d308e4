using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Gateway;

public sealed partial class SqliteGatewayStore
{
    /// <inheritdoc />
    public Task<IdempotencyClaim> ClaimAsync(string workspaceId, string keyId, string idempotencyKey, string requestSha256, TimeSpan staleAfter, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        return InTransactionAsync(write: true, (connection, transaction) =>
        {
            using (var find = Command(connection, transaction, """
                       SELECT request_sha256, status_code, content_type, response_body, created_at FROM idempotency
                       WHERE workspace_id = $ws AND key_id = $k AND idem_key = $i
                       """, ("$ws", workspaceId), ("$k", keyId), ("$i", idempotencyKey)))
            using (var reader = find.ExecuteReader())
            {
                if (reader.Read())
                {
                    if (!string.Equals(reader.GetString(0), requestSha256, StringComparison.Ordinal))
                    {
                        return new IdempotencyClaim(IdempotencyState.Mismatch);
                    }

                    if (Int(reader, 1) is { } status)
                    {
                        return new IdempotencyClaim(IdempotencyState.Replay, new StoredResponse((int)status, Text(reader, 2), reader.IsDBNull(3) ? [] : (byte[])reader.GetValue(3)));
                    }

                    if (now - SqliteTime.FromUtcText(reader.GetString(4), 0) < staleAfter)
                    {
                        return new IdempotencyClaim(IdempotencyState.InFlight);
                    }
                }
            }

            Execute(connection, transaction, """
                INSERT OR REPLACE INTO idempotency (workspace_id, key_id, idem_key, request_sha256, created_at) VALUES ($ws, $k, $i, $h, $at)
                """, ("$ws", workspaceId), ("$k", keyId), ("$i", idempotencyKey), ("$h", requestSha256), ("$at", SqliteTime.ToUtcText(now)));
            return new IdempotencyClaim(IdempotencyState.New);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task CompleteAsync(string workspaceId, string keyId, string idempotencyKey, StoredResponse response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        var now = _time.GetUtcNow();
        return InTransactionAsync(write: true, (connection, transaction) => Complete(connection, transaction, workspaceId, keyId, idempotencyKey, response, now), cancellationToken);
    }

    /// <summary>Stores the answer of a claimed key inside the caller's transaction (the live path's commit uses it too).</summary>
    /// <returns>The number of rows changed: 1, or 0 when the key was not claimed.</returns>
    internal static int Complete(SqliteConnection connection, SqliteTransaction transaction, string workspaceId, string keyId, string idempotencyKey, StoredResponse response, DateTimeOffset now) =>
        Execute(connection, transaction, """
            UPDATE idempotency SET status_code = $s, content_type = $ct, response_body = $b, completed_at = $at
            WHERE workspace_id = $ws AND key_id = $k AND idem_key = $i
            """, ("$s", response.StatusCode), ("$ct", response.ContentType), ("$b", response.Body), ("$at", SqliteTime.ToUtcText(now)), ("$ws", workspaceId), ("$k", keyId), ("$i", idempotencyKey));

    /// <inheritdoc />
    public Task ReleaseAsync(string workspaceId, string keyId, string idempotencyKey, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: true, (connection, transaction) => Execute(connection, transaction,
            "DELETE FROM idempotency WHERE workspace_id = $ws AND key_id = $k AND idem_key = $i AND status_code IS NULL",
            ("$ws", workspaceId), ("$k", keyId), ("$i", idempotencyKey)), cancellationToken);
}
