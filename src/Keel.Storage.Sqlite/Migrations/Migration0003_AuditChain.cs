using Keel.Audit;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Migrations;

/// <summary>The audit chain: <c>events.prev_hash</c> and <c>events.hash</c> (<see cref="AuditHash.Event"/>), and the
/// workspace ledger <c>audit_ledger</c>, one row per store commit (<see cref="AuditLedgerRecord"/>; docs/audit.md).</summary>
/// <remarks>
/// Events stored before this migration are chained by it, run by run (each workspace's runs in start order, then id), and
/// each such run gets a ledger row of kind <c>migration</c>: from then on <c>keel audit verify</c> detects any change to
/// them. What happened to them before the migration ran cannot be proved, and their payloads stay as they were written
/// (redaction applies to what is written from now on). The ledger has no foreign key to <c>runs</c>: it must outlive a
/// deleted run to report it.
/// </remarks>
internal sealed class Migration0003_AuditChain : Migration
{
    private const string Sql = """
        ALTER TABLE events ADD COLUMN prev_hash TEXT;
        ALTER TABLE events ADD COLUMN hash TEXT;

        CREATE TABLE audit_ledger (
            workspace_id    TEXT    NOT NULL,
            seq             INTEGER NOT NULL,
            run_id          TEXT    NOT NULL,
            commit_kind     TEXT    NOT NULL,
            first_event_seq INTEGER NOT NULL,
            last_event_seq  INTEGER NOT NULL,
            run_head_hash   TEXT    NOT NULL,
            committed_at    TEXT    NOT NULL,
            prev_hash       TEXT    NOT NULL,
            hash            TEXT    NOT NULL,
            PRIMARY KEY (workspace_id, seq)
        ) STRICT;
        """;

    /// <inheritdoc />
    public override int Version => 3;

    /// <inheritdoc />
    public override string Name => "audit_chain";

    /// <inheritdoc />
    public override void Up(SqliteConnection connection, SqliteTransaction transaction, TimeProvider timeProvider)
    {
        Execute(connection, transaction, Sql);
        var now = timeProvider.GetUtcNow();
        var runs = new List<(string Workspace, string Run)>();
        using (var list = Command(connection, transaction, "SELECT workspace_id, id FROM runs ORDER BY workspace_id, started_at, id"))
        using (var reader = list.ExecuteReader())
        {
            while (reader.Read())
            {
                runs.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        using var events = Command(connection, transaction, "SELECT seq, kind, ts, payload_json FROM events WHERE workspace_id = $ws AND run_id = $run ORDER BY seq", "$ws", "$run");
        using var update = Command(connection, transaction, "UPDATE events SET prev_hash = $prev, hash = $hash WHERE workspace_id = $ws AND run_id = $run AND seq = $seq", "$prev", "$hash", "$ws", "$run", "$seq");
        using var ledger = Command(
            connection,
            transaction,
            """
            INSERT INTO audit_ledger (workspace_id, seq, run_id, commit_kind, first_event_seq, last_event_seq, run_head_hash, committed_at, prev_hash, hash)
            VALUES ($ws, $seq, $run, 'migration', 1, $last, $head, $at, $prev, $hash)
            """,
            "$ws", "$seq", "$run", "$last", "$head", "$at", "$prev", "$hash");
        string? workspace = null;
        var (ledgerSequence, ledgerHead) = (0L, string.Empty);
        foreach (var (workspaceId, runId) in runs)
        {
            if (!string.Equals(workspace, workspaceId, StringComparison.Ordinal))
            {
                (workspace, ledgerSequence, ledgerHead) = (workspaceId, 0, AuditHash.LedgerGenesis(workspaceId));
            }

            var (last, head) = ChainRun(events, update, workspaceId, runId);
            var row = new AuditLedgerRecord(workspaceId, ++ledgerSequence, runId, AuditCommit.Migration, 1, last, head, now, ledgerHead, string.Empty);
            ledgerHead = AuditHash.Ledger(ledgerHead, row);
            Run(ledger, workspaceId, row.Sequence, runId, last, head, SqliteTime.ToUtcText(now), row.PreviousHash, ledgerHead);
        }
    }

    private static (long Last, string Head) ChainRun(SqliteCommand events, SqliteCommand update, string workspaceId, string runId)
    {
        events.Parameters["$ws"].Value = workspaceId;
        events.Parameters["$run"].Value = runId;
        var rows = new List<(long Seq, string Kind, string Ts, string Payload)>();
        using (var reader = events.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }

        var previous = AuditHash.RunGenesis(workspaceId, runId);
        foreach (var (seq, kind, ts, payload) in rows)
        {
            var hash = AuditHash.Event(previous, workspaceId, runId, seq, kind, SqliteTime.FromUtcText(ts, 0), payload);
            Run(update, previous, hash, workspaceId, runId, seq);
            previous = hash;
        }

        return (rows.Count == 0 ? 0 : rows[^1].Seq, previous);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        return command;
    }

    private static void Run(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        command.ExecuteNonQuery();
    }
}
