namespace Keel.Storage.Sqlite.Migrations;

/// <summary>Every migration of the SQLite store, in version order. Add new ones at the end.</summary>
internal static class MigrationCatalog
{
    /// <summary>The migrations, versions 1, 2, … without gaps.</summary>
    public static IReadOnlyList<Migration> All { get; } =
    [
        new Migration0001_Initial(),
        new Migration0002_Gateway(),
        new Migration0003_AuditChain(),
        new Migration0004_LiveRunIds(),
        new Migration0005_Versions(),
        new Migration0006_RunVersions(),
        new Migration0007_RunFilters(),
        new Migration0008_Knowledge(),
        new Migration0009_RunCost(),
    ];
}
