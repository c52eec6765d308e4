using Keel.Audit;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>Reads audit records (events with their hashes, ledger rows) from a connection, streaming, in the stores' key
/// order: events by workspace, run and sequence; ledger rows by workspace and sequence.</summary>
/// <remarks>Values a tampered row may hold that are not what the store writes (a time that is not a time, an unknown commit
/// kind) are read as stand-ins that fail the hash check, so <see cref="AuditVerifier"/> reports them instead of the read failing.</remarks>
internal static class AuditRecordReader
{
    /// <summary>Ledger rows, of one workspace or all.</summary>
    public static IEnumerable<AuditLedgerRecord> Ledger(SqliteConnection connection, SqliteTransaction? transaction, string? workspaceId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT workspace_id, seq, run_id, commit_kind, first_event_seq, last_event_seq, run_head_hash, committed_at, prev_hash, hash
            FROM audit_ledger
            """ + (workspaceId is null ? string.Empty : " WHERE workspace_id = $ws") + " ORDER BY workspace_id, seq";
        command.Parameters.AddWithValue("$ws", (object?)workspaceId ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new AuditLedgerRecord(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.GetString(2),
                AuditLedgerRecord.TryParseCommit(reader.GetString(3), out var commit) ? commit : (AuditCommit)(-1),
                reader.GetInt64(4),
                reader.GetInt64(5),
                reader.GetString(6),
                Time(reader.GetString(7)),
                reader.GetString(8),
                reader.GetString(9));
        }
    }

    /// <summary>Event records of one run after a sequence number, of one workspace, or of all.</summary>
    public static IEnumerable<AuditEventRecord> Events(
        SqliteConnection connection, SqliteTransaction? transaction, string? workspaceId, string? runId = null, long afterSequence = 0, int limit = -1)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var where = workspaceId is null ? string.Empty : runId is null ? " WHERE workspace_id = $ws" : " WHERE workspace_id = $ws AND run_id = $run AND seq > $after";
        command.CommandText = "SELECT workspace_id, run_id, seq, kind, ts, payload_json, prev_hash, hash FROM events"
            + where + " ORDER BY workspace_id, run_id, seq LIMIT $limit";
        command.Parameters.AddWithValue("$ws", (object?)workspaceId ?? DBNull.Value);
        command.Parameters.AddWithValue("$run", (object?)runId ?? DBNull.Value);
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new AuditEventRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetString(3),
                Time(reader.GetString(4)),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7));
        }
    }

    private static DateTimeOffset Time(string text) => SqliteTime.TryFromUtcText(text, out var time) ? time : DateTimeOffset.MinValue;
}
