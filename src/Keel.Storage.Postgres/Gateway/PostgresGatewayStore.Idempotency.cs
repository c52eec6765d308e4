namespace Keel.Storage.Postgres.Gateway;

public sealed partial class PostgresGatewayStore
{
    /// <inheritdoc />
    /// <remarks>One transaction: the claim is inserted with <c>ON CONFLICT DO NOTHING</c> — of concurrent claims of one key on any
    /// instance exactly one inserts it and gets <see cref="IdempotencyState.New"/>; the others wait for it and then read the stored row
    /// under a row lock (<c>FOR UPDATE</c>). A claim older than <paramref name="staleAfter"/> is taken over under that lock, so of
    /// several retries after a crash exactly one takes it.</remarks>
    public Task<IdempotencyClaim> ClaimAsync(string workspaceId, string keyId, string idempotencyKey, string requestSha256, TimeSpan staleAfter, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var at = PostgresTime.ToUtcText(now);
        (string, object?)[] key = [("ws", workspaceId), ("k", keyId), ("i", idempotencyKey)];
        return InTransactionAsync(async (connection, transaction) =>
        {
            for (var attempt = 0; ; attempt++)
            {
                var inserted = await Sql.ExecuteAsync(connection, transaction, """
                    INSERT INTO idempotency (workspace_id, key_id, idem_key, request_sha256, created_at) VALUES (@ws, @k, @i, @h, @at) ON CONFLICT DO NOTHING
                    """, [.. key, ("h", requestSha256), ("at", at)]);
                if (inserted == 1)
                {
                    return new IdempotencyClaim(IdempotencyState.New);
                }

                await using (var find = Sql.Command(connection, transaction, """
                                 SELECT request_sha256, status_code, content_type, response_body, created_at FROM idempotency
                                 WHERE workspace_id = @ws AND key_id = @k AND idem_key = @i FOR UPDATE
                                 """, key))
                await using (var reader = await find.ExecuteReaderAsync())
                {
                    if (await reader.ReadAsync())
                    {
                        if (!string.Equals(reader.GetString(0), requestSha256, StringComparison.Ordinal))
                        {
                            return new IdempotencyClaim(IdempotencyState.Mismatch);
                        }

                        if (!reader.IsDBNull(1))
                        {
                            return new IdempotencyClaim(IdempotencyState.Replay, new StoredResponse(reader.GetInt32(1), Sql.Text(reader, 2), reader.IsDBNull(3) ? [] : (byte[])reader.GetValue(3)));
                        }

                        if (now - PostgresTime.FromUtcText(reader.GetString(4)) < staleAfter)
                        {
                            return new IdempotencyClaim(IdempotencyState.InFlight);
                        }
                    }
                    else
                    {
                        // Released after the insert found it: claim again; after a few rounds, tell the caller to retry.
                        if (attempt < 3)
                        {
                            continue;
                        }

                        return new IdempotencyClaim(IdempotencyState.InFlight);
                    }
                }

                // Stale (its process crashed): taken over under the row lock.
                await Sql.ExecuteAsync(connection, transaction, """
                    INSERT INTO idempotency (workspace_id, key_id, idem_key, request_sha256, created_at) VALUES (@ws, @k, @i, @h, @at)
                    ON CONFLICT (workspace_id, key_id, idem_key) DO UPDATE SET request_sha256 = excluded.request_sha256, created_at = excluded.created_at,
                        status_code = NULL, content_type = NULL, response_body = NULL, completed_at = NULL
                    """, [.. key, ("h", requestSha256), ("at", at)]);
                return new IdempotencyClaim(IdempotencyState.New);
            }
        }, $"idempotency key '{idempotencyKey}' of workspace '{workspaceId}' could not be claimed", cancellationToken);
    }

    /// <inheritdoc />
    public Task CompleteAsync(string workspaceId, string keyId, string idempotencyKey, StoredResponse response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        var now = _time.GetUtcNow();
        return InTransactionAsync(
            (connection, transaction) => IdempotencyRows.CompleteAsync(connection, transaction, workspaceId, keyId, idempotencyKey, response, now),
            $"the answer to idempotency key '{idempotencyKey}' of workspace '{workspaceId}' was not stored",
            cancellationToken);
    }

    /// <inheritdoc />
    public Task ReleaseAsync(string workspaceId, string keyId, string idempotencyKey, CancellationToken cancellationToken = default) =>
        InTransactionAsync(
            (connection, transaction) => Sql.ExecuteAsync(connection, transaction,
                "DELETE FROM idempotency WHERE workspace_id = @ws AND key_id = @k AND idem_key = @i AND status_code IS NULL",
                ("ws", workspaceId), ("k", keyId), ("i", idempotencyKey)),
            $"idempotency key '{idempotencyKey}' of workspace '{workspaceId}' was not released",
            cancellationToken);
}
