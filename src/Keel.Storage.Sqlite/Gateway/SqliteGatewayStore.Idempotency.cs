namespace Keel.Storage.Sqlite.Gateway;

public sealed partial class SqliteGatewayStore
{
    /// <summary>Claims an idempotency key for a request, atomically: the first caller gets <see cref="IdempotencyState.New"/>;
    /// later callers get the stored response, a mismatch, or in-flight. A claim left unfinished longer than
    /// <paramref name="staleAfter"/> (a crashed request) can be taken over.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="keyId">The API key that sent it (keys are scoped to their sender).</param>
    /// <param name="idempotencyKey">The <c>Idempotency-Key</c> header.</param>
    /// <param name="requestSha256">The hash of method, path and body.</param>
    /// <param name="staleAfter">How long an unfinished claim blocks retries.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The claim.</returns>
    public Task<IdempotencyClaim> ClaimIdempotencyKeyAsync(string workspaceId, string keyId, string idempotencyKey, string requestSha256, TimeSpan staleAfter, CancellationToken cancellationToken = default)
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
                        return new IdempotencyClaim(IdempotencyState.Replay, (int)status, Text(reader, 2), reader.IsDBNull(3) ? [] : (byte[])reader.GetValue(3));
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

    /// <summary>Stores the response of a claimed request; retries with the key get it back.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="keyId">The sender's key id.</param>
    /// <param name="idempotencyKey">The idempotency key.</param>
    /// <param name="statusCode">The HTTP status sent.</param>
    /// <param name="contentType">The content type sent.</param>
    /// <param name="body">The body bytes sent.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when stored.</returns>
    public Task CompleteIdempotencyKeyAsync(string workspaceId, string keyId, string idempotencyKey, int statusCode, string? contentType, byte[] body, CancellationToken cancellationToken = default)
    {
        var now = SqliteTime.ToUtcText(_time.GetUtcNow());
        return InTransactionAsync(write: true, (connection, transaction) => Execute(connection, transaction, """
            UPDATE idempotency SET status_code = $s, content_type = $ct, response_body = $b, completed_at = $at
            WHERE workspace_id = $ws AND key_id = $k AND idem_key = $i
            """, ("$s", statusCode), ("$ct", contentType), ("$b", body), ("$at", now), ("$ws", workspaceId), ("$k", keyId), ("$i", idempotencyKey)), cancellationToken);
    }

    /// <summary>Gives a claimed key back (the request failed before it changed anything), so a retry runs afresh.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="keyId">The sender's key id.</param>
    /// <param name="idempotencyKey">The idempotency key.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when released.</returns>
    public Task ReleaseIdempotencyKeyAsync(string workspaceId, string keyId, string idempotencyKey, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: true, (connection, transaction) => Execute(connection, transaction,
            "DELETE FROM idempotency WHERE workspace_id = $ws AND key_id = $k AND idem_key = $i AND status_code IS NULL",
            ("$ws", workspaceId), ("$k", keyId), ("$i", idempotencyKey)), cancellationToken);
}
