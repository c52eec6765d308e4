namespace Keel.Storage.Postgres.Migrations;

/// <summary>The live gateway's tables — workspaces and their budgets, API keys, approvals, idempotency records, budget windows and
/// the access log — and <c>live_run_ids</c>, whose primary key lets one workspace only take a live run id: the SQLite store's
/// migrations 2 and 4 as one step.</summary>
/// <remarks>Money is integer micro-USD (<c>cost_usd_micros</c>) so budget sums are exact. The access log numbers its rows with an
/// identity column, newest last.</remarks>
internal sealed class Migration0002_Gateway : Migration
{
    /// <inheritdoc />
    public override int Version => 2;

    /// <inheritdoc />
    public override string Name => "gateway";

    /// <inheritdoc />
    protected override string Sql => """
        CREATE TABLE workspaces (
            id                     text COLLATE "C" NOT NULL PRIMARY KEY,
            name                   text NOT NULL,
            created_at             text COLLATE "C" NOT NULL,
            budget_window_seconds  bigint,
            budget_max_steps       bigint,
            budget_max_tool_calls  bigint,
            budget_max_tokens      bigint,
            budget_max_cost_micros bigint
        );

        CREATE TABLE api_keys (
            id            text COLLATE "C" NOT NULL PRIMARY KEY,
            workspace_id  text COLLATE "C" NOT NULL REFERENCES workspaces (id),
            name          text NOT NULL,
            role          text NOT NULL,
            agent         text,
            secret_sha256 text NOT NULL,
            created_at    text COLLATE "C" NOT NULL,
            revoked_at    text
        );

        CREATE INDEX api_keys_by_workspace ON api_keys (workspace_id, created_at);

        CREATE TABLE approvals (
            workspace_id    text COLLATE "C" NOT NULL,
            id              text COLLATE "C" NOT NULL,
            run_id          text COLLATE "C" NOT NULL,
            call_id         text    NOT NULL,
            tool_name       text    NOT NULL,
            arguments_json  text    NOT NULL,
            digest          text COLLATE "C" NOT NULL,
            plan_digest     text COLLATE "C",
            plan_json       text,
            reason          text    NOT NULL,
            rule_id         text,
            status          text    NOT NULL,
            stages_required integer NOT NULL,
            stages_json     text    NOT NULL,
            requested_at    text COLLATE "C" NOT NULL,
            expires_at      text COLLATE "C" NOT NULL,
            PRIMARY KEY (workspace_id, id)
        );

        CREATE INDEX approvals_by_call ON approvals (workspace_id, run_id, digest);
        CREATE INDEX approvals_by_status ON approvals (workspace_id, status, requested_at DESC);
        CREATE INDEX approvals_by_id ON approvals (id);

        CREATE TABLE idempotency (
            workspace_id   text COLLATE "C" NOT NULL,
            key_id         text COLLATE "C" NOT NULL,
            idem_key       text COLLATE "C" NOT NULL,
            request_sha256 text    NOT NULL,
            status_code    integer,
            content_type   text,
            response_body  bytea,
            created_at     text    NOT NULL,
            completed_at   text,
            PRIMARY KEY (workspace_id, key_id, idem_key)
        );

        CREATE TABLE budget_windows (
            workspace_id    text COLLATE "C" NOT NULL,
            window_start    text COLLATE "C" NOT NULL,
            steps           bigint NOT NULL DEFAULT 0,
            tool_calls      bigint NOT NULL DEFAULT 0,
            tokens          bigint NOT NULL DEFAULT 0,
            cost_usd_micros bigint NOT NULL DEFAULT 0,
            PRIMARY KEY (workspace_id, window_start)
        );

        CREATE TABLE access_log (
            id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at           text    NOT NULL,
            workspace_id text COLLATE "C" NOT NULL,
            key_id       text    NOT NULL,
            method       text    NOT NULL,
            path         text    NOT NULL,
            status_code  integer NOT NULL,
            reason       text    NOT NULL
        );

        CREATE INDEX access_log_by_workspace ON access_log (workspace_id, id DESC);

        CREATE TABLE live_run_ids (
            id           text COLLATE "C" NOT NULL PRIMARY KEY,
            workspace_id text COLLATE "C" NOT NULL
        );
        """;
}
