namespace Keel.Storage.Postgres.Migrations;

/// <summary>Run filters (<see cref="IRunStore.QueryRunsAsync"/>, <c>GET /v1/runs?tag=…&amp;sentiment_below=…</c>): the SQLite store's
/// migration 7. <c>runs.customer_sentiment</c> (the VADER compound of the run's last customer message,
/// <see cref="RunListingValues.CustomerSentiment"/>, written with every save and live commit) with an index per workspace, and an index
/// on the findings' types, which are the run's tags. Runs stored before this migration have no sentiment (NULL, never below any bound)
/// until they are saved again.</summary>
internal sealed class Migration0006_RunFilters : Migration
{
    /// <inheritdoc />
    public override int Version => 6;

    /// <inheritdoc />
    public override string Name => "run_filters";

    /// <inheritdoc />
    protected override string Sql => """
        ALTER TABLE runs ADD COLUMN customer_sentiment double precision;
        CREATE INDEX runs_by_customer_sentiment ON runs (workspace_id, customer_sentiment);
        CREATE INDEX findings_by_type ON findings (workspace_id, type, run_id);
        """;
}
