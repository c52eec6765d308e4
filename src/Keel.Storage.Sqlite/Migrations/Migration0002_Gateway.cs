using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Migrations;

/// <summary>The live gateway's tables: workspaces with their budgets, API keys (SHA-256 of the secret only), approvals,
/// idempotency records, workspace budget windows and the access log (refused cross-workspace access).</summary>
/// <remarks>Money is stored as integer micro-USD (<c>cost_usd_micros</c>) so budget sums are exact.</remarks>
internal sealed class Migration0002_Gateway : Migration
{
    private const string Sql = """
        CREATE TABLE workspaces (
            id                     TEXT    NOT NULL PRIMARY KEY,
            name                   TEXT    NOT NULL,
            created_at             TEXT    NOT NULL,
            budget_window_seconds  INTEGER,
            budget_max_steps       INTEGER,
            budget_max_tool_calls  INTEGER,
            budget_max_tokens      INTEGER,
            budget_max_cost_micros INTEGER
        ) STRICT;

        CREATE TABLE api_keys (
            id            TEXT NOT NULL PRIMARY KEY,
            workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
            name          TEXT NOT NULL,
            role          TEXT NOT NULL,
            agent         TEXT,
            secret_sha256 TEXT NOT NULL,
            created_at    TEXT NOT NULL,
            revoked_at    TEXT
        ) STRICT;

        CREATE INDEX api_keys_by_workspace ON api_keys (workspace_id, created_at);

        CREATE TABLE approvals (
            workspace_id    TEXT    NOT NULL,
            id              TEXT    NOT NULL,
            run_id          TEXT    NOT NULL,
            call_id         TEXT    NOT NULL,
            tool_name       TEXT    NOT NULL,
            arguments_json  TEXT    NOT NULL,
            digest          TEXT    NOT NULL,
            plan_digest     TEXT,
            plan_json       TEXT,
            reason          TEXT    NOT NULL,
            rule_id         TEXT,
            status          TEXT    NOT NULL,
            stages_required INTEGER NOT NULL,
            stages_json     TEXT    NOT NULL,
            requested_at    TEXT    NOT NULL,
            expires_at      TEXT    NOT NULL,
            PRIMARY KEY (workspace_id, id)
        ) STRICT;

        CREATE INDEX approvals_by_call ON approvals (workspace_id, run_id, digest);
        CREATE INDEX approvals_by_status ON approvals (workspace_id, status, requested_at DESC);

        CREATE TABLE idempotency (
            workspace_id   TEXT    NOT NULL,
            key_id         TEXT    NOT NULL,
            idem_key       TEXT    NOT NULL,
            request_sha256 TEXT    NOT NULL,
            status_code    INTEGER,
            content_type   TEXT,
            response_body  BLOB,
            created_at     TEXT    NOT NULL,
            completed_at   TEXT,
            PRIMARY KEY (workspace_id, key_id, idem_key)
        ) STRICT;

        CREATE TABLE budget_windows (
            workspace_id    TEXT    NOT NULL,
            window_start    TEXT    NOT NULL,
            steps           INTEGER NOT NULL DEFAULT 0,
            tool_calls      INTEGER NOT NULL DEFAULT 0,
            tokens          INTEGER NOT NULL DEFAULT 0,
            cost_usd_micros INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (workspace_id, window_start)
        ) STRICT;

        CREATE TABLE access_log (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            at           TEXT    NOT NULL,
            workspace_id TEXT    NOT NULL,
            key_id       TEXT    NOT NULL,
            method       TEXT    NOT NULL,
            path         TEXT    NOT NULL,
            status_code  INTEGER NOT NULL,
            reason       TEXT    NOT NULL
        ) STRICT;
        """;

    /// <inheritdoc />
    public override int Version => 2;

    /// <inheritdoc />
    public override string Name => "gateway";

    /// <inheritdoc />
    public override void Up(SqliteConnection connection, SqliteTransaction transaction, TimeProvider timeProvider) => Execute(connection, transaction, Sql);
}
