using Keel.Audit;
using Npgsql;

namespace Keel.Storage.Postgres.Runs;

/// <summary>Reads audit records (ledger rows, events with their hashes) in the stores' key order: ledger rows by workspace and
/// sequence, events by workspace, run and sequence (ordinal, as in the SQLite store).</summary>
/// <remarks>Values a tampered row may hold that the store never writes (a time that is not a time, an unknown commit kind) are read as
/// stand-ins that fail the hash check, so <see cref="AuditVerifier"/> reports them instead of the read failing.</remarks>
internal static class AuditRecordReader
{
    private const string EventColumns = "SELECT workspace_id, run_id, seq, kind, ts, payload_json, prev_hash, hash FROM events";

    /// <summary>Ledger rows, of one workspace or all.</summary>
    public static async Task<List<AuditLedgerRecord>> LedgerAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string? workspaceId, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(connection, transaction, """
            SELECT workspace_id, seq, run_id, commit_kind, first_event_seq, last_event_seq, run_head_hash, committed_at, prev_hash, hash
            FROM audit_ledger WHERE @ws::text IS NULL OR workspace_id = @ws ORDER BY workspace_id, seq
            """, ("ws", workspaceId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<AuditLedgerRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AuditLedgerRecord(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.GetString(2),
                AuditLedgerRecord.TryParseCommit(reader.GetString(3), out var commit) ? commit : (AuditCommit)(-1),
                reader.GetInt64(4),
                reader.GetInt64(5),
                reader.GetString(6),
                PostgresTime.FromUtcTextOrMin(reader.GetString(7)),
                reader.GetString(8),
                reader.GetString(9)));
        }

        return rows;
    }

    /// <summary>Event records of one run after a sequence number, at most <paramref name="limit"/>.</summary>
    public static async Task<List<AuditEventRecord>> RunEventsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, string runId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(connection, transaction, EventColumns + " WHERE workspace_id = @ws AND run_id = @run AND seq > @after ORDER BY seq LIMIT @limit",
            ("ws", workspaceId), ("run", runId), ("after", afterSequence), ("limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<AuditEventRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Event(reader));
        }

        return records;
    }

    /// <summary>Streams the event records of one workspace or all, read as they are enumerated (synchronously, so
    /// <see cref="AuditVerifier"/> holds one run at a time, never the whole log).</summary>
    public static IEnumerable<AuditEventRecord> Events(NpgsqlConnection connection, NpgsqlTransaction transaction, string? workspaceId)
    {
        using var command = Sql.Command(connection, transaction, EventColumns + " WHERE @ws::text IS NULL OR workspace_id = @ws ORDER BY workspace_id, run_id, seq",
            ("ws", workspaceId));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return Event(reader);
        }
    }

    private static AuditEventRecord Event(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetInt64(2),
        reader.GetString(3),
        PostgresTime.FromUtcTextOrMin(reader.GetString(4)),
        reader.GetString(5),
        Sql.Text(reader, 6),
        Sql.Text(reader, 7));
}
