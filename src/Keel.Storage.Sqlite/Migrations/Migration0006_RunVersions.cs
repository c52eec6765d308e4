using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Migrations;

/// <summary>The version each live run was served with (docs/versions.md, "Serving"): <c>runs.version_hash</c> (the content hash),
/// <c>runs.version_arm</c> (<c>stable</c>, <c>candidate</c> or <c>configured</c>) and <c>runs.version_bucket</c> (the rollout bucket,
/// 0–99). Null for replayed and ingested runs and for runs stored before.</summary>
internal sealed class Migration0006_RunVersions : Migration
{
    private const string Sql = """
        ALTER TABLE runs ADD COLUMN version_hash TEXT;
        ALTER TABLE runs ADD COLUMN version_arm TEXT CHECK (version_arm IN ('stable', 'candidate', 'configured'));
        ALTER TABLE runs ADD COLUMN version_bucket INTEGER CHECK (version_bucket BETWEEN 0 AND 99);
        """;

    /// <inheritdoc />
    public override int Version => 6;

    /// <inheritdoc />
    public override string Name => "run_versions";

    /// <inheritdoc />
    public override void Up(SqliteConnection connection, SqliteTransaction transaction, TimeProvider timeProvider) => Execute(connection, transaction, Sql);
}
