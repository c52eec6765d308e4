namespace Keel.Storage.Postgres.Migrations;

/// <summary>Every migration of the PostgreSQL store, in version order. Add new ones at the end.</summary>
internal static class MigrationCatalog
{
    /// <summary>The migrations, versions 1, 2, … without gaps.</summary>
    public static IReadOnlyList<Migration> All { get; } =
    [
        new Migration0001_Runs(),
        new Migration0002_Gateway(),
        new Migration0003_Spans(),
        new Migration0004_Versions(),
        new Migration0005_RunVersions(),
        new Migration0006_RunFilters(),
        new Migration0007_Knowledge(),
        new Migration0008_RunCost(),
    ];

    /// <summary>The schema version of the newest migration.</summary>
    public static int Latest => All[^1].Version;
}
