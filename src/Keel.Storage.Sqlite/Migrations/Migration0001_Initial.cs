using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Migrations;

/// <summary>The first schema: runs with their events, and decisions, findings and failures as SQL rows for reports.</summary>
/// <remarks>
/// Every row carries its workspace id and every key starts with it. Times are UTC text (see <see cref="SqliteTime"/>);
/// <c>runs.started_at_offset_minutes</c> keeps the run's original offset. Enum values are the snake_case names of
/// <see cref="RunEventJson.EnumName{TEnum}"/>. <c>decisions</c> and <c>findings</c> are copies of their events
/// (same <c>seq</c>); deleting a run cascades to everything under it.
/// Tables are ordinary rowid tables (their primary key a separate index) on 16 KiB pages: measured faster for the replay
/// write path than <c>WITHOUT ROWID</c> tables on 4 KiB pages (bench/Keel.Benchmarks <c>throughput</c>, docs/benchmarks.md).
/// </remarks>
internal sealed class Migration0001_Initial : Migration
{
    private const string Sql = """
        CREATE TABLE runs (
            workspace_id              TEXT    NOT NULL,
            id                        TEXT    NOT NULL,
            agent_name                TEXT    NOT NULL,
            agent_version             TEXT    NOT NULL,
            status                    TEXT    NOT NULL,
            started_at                TEXT    NOT NULL,
            started_at_offset_minutes INTEGER NOT NULL,
            channel                   TEXT    NOT NULL,
            workflow_class            TEXT,
            event_count               INTEGER NOT NULL,
            handoff_json              TEXT,
            PRIMARY KEY (workspace_id, id)
        ) STRICT;

        CREATE INDEX runs_by_started_at ON runs (workspace_id, started_at DESC, id);

        CREATE TABLE events (
            workspace_id TEXT    NOT NULL,
            run_id       TEXT    NOT NULL,
            seq          INTEGER NOT NULL,
            kind         TEXT    NOT NULL,
            ts           TEXT    NOT NULL,
            payload_json TEXT    NOT NULL,
            PRIMARY KEY (workspace_id, run_id, seq),
            FOREIGN KEY (workspace_id, run_id) REFERENCES runs (workspace_id, id) ON DELETE CASCADE
        ) STRICT;

        CREATE TABLE decisions (
            workspace_id   TEXT    NOT NULL,
            run_id         TEXT    NOT NULL,
            seq            INTEGER NOT NULL,
            call_id        TEXT    NOT NULL,
            tool_name      TEXT,
            kind           TEXT    NOT NULL,
            stage          TEXT    NOT NULL,
            rule_id        TEXT,
            policy_version TEXT,
            reason         TEXT    NOT NULL,
            PRIMARY KEY (workspace_id, run_id, seq),
            FOREIGN KEY (workspace_id, run_id) REFERENCES runs (workspace_id, id) ON DELETE CASCADE
        ) STRICT;

        CREATE TABLE findings (
            workspace_id    TEXT    NOT NULL,
            run_id          TEXT    NOT NULL,
            seq             INTEGER NOT NULL,
            type            TEXT    NOT NULL,
            severity        TEXT    NOT NULL,
            message         TEXT    NOT NULL,
            event_seqs_json TEXT    NOT NULL,
            monitor         TEXT    NOT NULL,
            PRIMARY KEY (workspace_id, run_id, seq),
            FOREIGN KEY (workspace_id, run_id) REFERENCES runs (workspace_id, id) ON DELETE CASCADE
        ) STRICT;

        CREATE TABLE failures (
            workspace_id         TEXT    NOT NULL,
            run_id               TEXT    NOT NULL,
            ordinal              INTEGER NOT NULL,
            class                TEXT    NOT NULL,
            disposition          TEXT    NOT NULL,
            message              TEXT    NOT NULL,
            event_seq            INTEGER,
            tool_name            TEXT,
            rule_id              TEXT,
            retry_count          INTEGER NOT NULL,
            handoff_target       TEXT,
            narrower_permissions INTEGER NOT NULL,
            PRIMARY KEY (workspace_id, run_id, ordinal),
            FOREIGN KEY (workspace_id, run_id) REFERENCES runs (workspace_id, id) ON DELETE CASCADE
        ) STRICT;
        """;

    /// <inheritdoc />
    public override int Version => 1;

    /// <inheritdoc />
    public override string Name => "initial";

    /// <inheritdoc />
    public override void Up(SqliteConnection connection, SqliteTransaction transaction, TimeProvider timeProvider) => Execute(connection, transaction, Sql);
}
