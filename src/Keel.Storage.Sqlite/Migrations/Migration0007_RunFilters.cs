using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Migrations;

/// <summary>Run filters (<see cref="IRunStore.QueryRunsAsync"/>, <c>GET /v1/runs?tag=…&amp;sentiment_below=…</c>):
/// <c>runs.customer_sentiment</c> (the VADER compound of the run's last customer message, <see cref="RunListingValues.CustomerSentiment"/>,
/// written with every save and live commit) with an index per workspace, and an index on the findings' types, which are the run's tags.
/// Runs stored before this migration have no sentiment (NULL, never below any bound) until they are saved again.</summary>
internal sealed class Migration0007_RunFilters : Migration
{
    private const string Sql = """
        ALTER TABLE runs ADD COLUMN customer_sentiment REAL;
        CREATE INDEX runs_by_customer_sentiment ON runs (workspace_id, customer_sentiment);
        CREATE INDEX findings_by_type ON findings (workspace_id, type, run_id);
        """;

    /// <inheritdoc />
    public override int Version => 7;

    /// <inheritdoc />
    public override string Name => "run_filters";

    /// <inheritdoc />
    public override void Up(SqliteConnection connection, SqliteTransaction transaction, TimeProvider timeProvider) => Execute(connection, transaction, Sql);
}
