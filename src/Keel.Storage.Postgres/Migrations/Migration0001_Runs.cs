namespace Keel.Storage.Postgres.Migrations;

/// <summary>Runs with their hash-chained events, decisions, findings and failures as rows for reports, and the per-workspace audit
/// ledger (docs/audit.md): the SQLite store's migrations 1 and 3 as one step.</summary>
/// <remarks>
/// Every row carries its workspace id and every key starts with it. Text that is ordered or compared (ids, times) is
/// <c>COLLATE "C"</c>, so order is ordinal as in the SQLite store, whatever the database's locale. Times are fixed-width UTC text
/// (<see cref="PostgresTime"/>); <c>runs.started_at_offset_minutes</c> keeps the run's original offset. Event payloads are
/// <c>text</c>, not <c>jsonb</c>: the audit hash covers the exact stored characters, which <c>jsonb</c> would normalize.
/// The ledger has no foreign key to <c>runs</c>: it must outlive a deleted run to report it.
/// </remarks>
internal sealed class Migration0001_Runs : Migration
{
    /// <inheritdoc />
    public override int Version => 1;

    /// <inheritdoc />
    public override string Name => "runs";

    /// <inheritdoc />
    protected override string Sql => """
        CREATE TABLE runs (
            workspace_id              text COLLATE "C" NOT NULL,
            id                        text COLLATE "C" NOT NULL,
            agent_name                text    NOT NULL,
            agent_version             text    NOT NULL,
            status                    text    NOT NULL,
            started_at                text COLLATE "C" NOT NULL,
            started_at_offset_minutes integer NOT NULL,
            channel                   text    NOT NULL,
            workflow_class            text,
            event_count               integer NOT NULL,
            handoff_json              text,
            PRIMARY KEY (workspace_id, id)
        );

        CREATE INDEX runs_by_started_at ON runs (workspace_id, started_at DESC, id);
        CREATE INDEX runs_by_id ON runs (id);

        CREATE TABLE events (
            workspace_id text COLLATE "C" NOT NULL,
            run_id       text COLLATE "C" NOT NULL,
            seq          bigint NOT NULL,
            kind         text   NOT NULL,
            ts           text   NOT NULL,
            payload_json text   NOT NULL,
            prev_hash    text,
            hash         text,
            PRIMARY KEY (workspace_id, run_id, seq),
            FOREIGN KEY (workspace_id, run_id) REFERENCES runs (workspace_id, id) ON DELETE CASCADE
        );

        CREATE TABLE decisions (
            workspace_id   text COLLATE "C" NOT NULL,
            run_id         text COLLATE "C" NOT NULL,
            seq            bigint NOT NULL,
            call_id        text   NOT NULL,
            tool_name      text,
            kind           text   NOT NULL,
            stage          text   NOT NULL,
            rule_id        text,
            policy_version text,
            reason         text   NOT NULL,
            PRIMARY KEY (workspace_id, run_id, seq),
            FOREIGN KEY (workspace_id, run_id) REFERENCES runs (workspace_id, id) ON DELETE CASCADE
        );

        CREATE TABLE findings (
            workspace_id    text COLLATE "C" NOT NULL,
            run_id          text COLLATE "C" NOT NULL,
            seq             bigint NOT NULL,
            type            text   NOT NULL,
            severity        text   NOT NULL,
            message         text   NOT NULL,
            event_seqs_json text   NOT NULL,
            monitor         text   NOT NULL,
            PRIMARY KEY (workspace_id, run_id, seq),
            FOREIGN KEY (workspace_id, run_id) REFERENCES runs (workspace_id, id) ON DELETE CASCADE
        );

        CREATE TABLE failures (
            workspace_id         text COLLATE "C" NOT NULL,
            run_id               text COLLATE "C" NOT NULL,
            ordinal              integer NOT NULL,
            class                text    NOT NULL,
            disposition          text    NOT NULL,
            message              text    NOT NULL,
            event_seq            bigint,
            tool_name            text,
            rule_id              text,
            retry_count          integer NOT NULL,
            handoff_target       text,
            narrower_permissions boolean NOT NULL,
            PRIMARY KEY (workspace_id, run_id, ordinal),
            FOREIGN KEY (workspace_id, run_id) REFERENCES runs (workspace_id, id) ON DELETE CASCADE
        );

        CREATE TABLE audit_ledger (
            workspace_id    text COLLATE "C" NOT NULL,
            seq             bigint NOT NULL,
            run_id          text COLLATE "C" NOT NULL,
            commit_kind     text   NOT NULL,
            first_event_seq bigint NOT NULL,
            last_event_seq  bigint NOT NULL,
            run_head_hash   text   NOT NULL,
            committed_at    text   NOT NULL,
            prev_hash       text   NOT NULL,
            hash            text   NOT NULL,
            PRIMARY KEY (workspace_id, seq)
        );
        """;
}
