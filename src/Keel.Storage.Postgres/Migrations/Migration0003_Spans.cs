namespace Keel.Storage.Postgres.Migrations;

/// <summary>The OTLP span buffer (<c>otlp_spans</c>, docs/otlp-ingest.md): spans acknowledged by <c>POST /v1/traces</c> whose trace is not
/// yet built into a run, one row per trace per export, numbered in the order stored.</summary>
internal sealed class Migration0003_Spans : Migration
{
    /// <inheritdoc />
    public override int Version => 3;

    /// <inheritdoc />
    public override string Name => "otlp span buffer";

    /// <inheritdoc />
    protected override string Sql => """
        CREATE TABLE otlp_spans (
            seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            workspace_id text COLLATE "C" NOT NULL,
            trace_id     text COLLATE "C" NOT NULL,
            has_root     boolean NOT NULL,
            span_count   integer NOT NULL,
            payload      bytea NOT NULL
        );

        CREATE INDEX otlp_spans_by_trace ON otlp_spans (workspace_id, trace_id, seq);
        """;
}
