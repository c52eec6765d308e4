namespace Keel.Storage.Postgres.Migrations;

/// <summary>The version each live run was served with (docs/versions.md, "Serving"): <c>runs.version_hash</c> (the content hash),
/// <c>runs.version_arm</c> (<c>stable</c>, <c>candidate</c> or <c>configured</c>) and <c>runs.version_bucket</c> (the rollout bucket,
/// 0–99). Null for replayed and ingested runs and for runs stored before.</summary>
internal sealed class Migration0005_RunVersions : Migration
{
    /// <inheritdoc />
    public override int Version => 5;

    /// <inheritdoc />
    public override string Name => "run versions";

    /// <inheritdoc />
    protected override string Sql => """
        ALTER TABLE runs ADD COLUMN version_hash text COLLATE "C";
        ALTER TABLE runs ADD COLUMN version_arm text CHECK (version_arm IN ('stable', 'candidate', 'configured'));
        ALTER TABLE runs ADD COLUMN version_bucket integer CHECK (version_bucket BETWEEN 0 AND 99);
        """;
}
