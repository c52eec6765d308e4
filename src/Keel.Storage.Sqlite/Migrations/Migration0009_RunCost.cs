using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Migrations;

/// <summary>The run's model cost in the listing (<see cref="RunSummary.CostUsd"/>, docs/versions.md, "Figures"): <c>runs.cost_usd</c>, the
/// USD its messages reported (<see cref="RunListingValues.CostUsd"/>) as invariant decimal text, so sums stay exact; written with every
/// save and live commit. The version figures read it from the listing instead of reading each run whole. Runs stored before this
/// migration have none (NULL) until they are saved again; the figures read those runs whole.</summary>
internal sealed class Migration0009_RunCost : Migration
{
    private const string Sql = """
        ALTER TABLE runs ADD COLUMN cost_usd TEXT;
        """;

    /// <inheritdoc />
    public override int Version => 9;

    /// <inheritdoc />
    public override string Name => "run_cost";

    /// <inheritdoc />
    public override void Up(SqliteConnection connection, SqliteTransaction transaction, TimeProvider timeProvider) => Execute(connection, transaction, Sql);
}
