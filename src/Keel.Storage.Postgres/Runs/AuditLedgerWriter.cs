using Keel.Audit;
using Npgsql;

namespace Keel.Storage.Postgres.Runs;

/// <summary>Appends rows to a workspace's audit ledger (<c>audit_ledger</c>): reads the workspace's newest row and chains the new one
/// onto it. The caller holds the workspace's ledger lock (<see cref="LockKeys.Ledger"/>) for the whole transaction, so two writers —
/// on this instance or another — never read the same head and the ledger never forks.</summary>
internal static class AuditLedgerWriter
{
    /// <summary>Appends the row of one commit.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="transaction">The caller's transaction, holding the workspace's ledger lock.</param>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run committed.</param>
    /// <param name="commit">Save or append.</param>
    /// <param name="first">The first event the commit wrote (1 for a save).</param>
    /// <param name="last">The run's last event after the commit.</param>
    /// <param name="runHead">The hash of the run's last event (its genesis hash without events).</param>
    /// <param name="committedAt">The store's clock.</param>
    /// <returns>A task that completes when the row is written.</returns>
    /// <exception cref="NpgsqlException">The row could not be written; the caller rolls back.</exception>
    public static async Task AppendAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, string runId, AuditCommit commit, long first, long last, string runHead, DateTimeOffset committedAt)
    {
        var (sequence, previous) = (0L, AuditHash.LedgerGenesis(workspaceId));
        await using (var head = Sql.Command(connection, transaction, "SELECT seq, hash FROM audit_ledger WHERE workspace_id = @ws ORDER BY seq DESC LIMIT 1", ("ws", workspaceId)))
        await using (var reader = await head.ExecuteReaderAsync())
        {
            if (await reader.ReadAsync())
            {
                (sequence, previous) = (reader.GetInt64(0), reader.GetString(1));
            }
        }

        var row = new AuditLedgerRecord(workspaceId, sequence + 1, runId, commit, first, last, runHead, committedAt, previous, string.Empty);
        await Sql.ExecuteAsync(connection, transaction, """
            INSERT INTO audit_ledger (workspace_id, seq, run_id, commit_kind, first_event_seq, last_event_seq, run_head_hash, committed_at, prev_hash, hash)
            VALUES (@ws, @seq, @run, @kind, @first, @last, @head, @at, @prev, @hash)
            """,
            ("ws", workspaceId), ("seq", row.Sequence), ("run", runId), ("kind", AuditLedgerRecord.CommitName(commit)), ("first", first), ("last", last),
            ("head", runHead), ("at", PostgresTime.ToUtcText(committedAt)), ("prev", previous), ("hash", AuditHash.Ledger(previous, row)));
    }
}
