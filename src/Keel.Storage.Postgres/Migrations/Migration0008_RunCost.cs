namespace Keel.Storage.Postgres.Migrations;

/// <summary>The run's model cost in the listing (<see cref="RunSummary.CostUsd"/>, docs/versions.md, "Figures"): the SQLite store's
/// migration 9. <c>runs.cost_usd</c>, the USD its messages reported (<see cref="RunListingValues.CostUsd"/>) as <c>numeric</c>, written with
/// every save and live commit. The version figures read it from the listing instead of reading each run whole. Runs stored before this
/// migration have none (NULL) until they are saved again; the figures read those runs whole.</summary>
internal sealed class Migration0008_RunCost : Migration
{
    /// <inheritdoc />
    public override int Version => 8;

    /// <inheritdoc />
    public override string Name => "run_cost";

    /// <inheritdoc />
    protected override string Sql => """
        ALTER TABLE runs ADD COLUMN cost_usd numeric;
        """;
}
