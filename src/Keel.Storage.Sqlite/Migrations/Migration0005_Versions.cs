using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Migrations;

/// <summary>The version registry (docs/versions.md): <c>agent_versions</c> (one row per content hash and workspace, with its state
/// and share of new runs), <c>agent_version_files</c> (each version's paths) over <c>version_blobs</c> (file bytes stored once per
/// workspace under their SHA-256), and <c>version_history</c> (the hash-chained history of registrations and state changes).</summary>
internal sealed class Migration0005_Versions : Migration
{
    private const string Sql = """
        CREATE TABLE version_blobs (
            workspace_id TEXT NOT NULL,
            sha256       TEXT NOT NULL,
            bytes        BLOB NOT NULL,
            PRIMARY KEY (workspace_id, sha256)
        ) STRICT;

        CREATE TABLE agent_versions (
            workspace_id  TEXT NOT NULL,
            hash          TEXT NOT NULL,
            agent         TEXT NOT NULL,
            label         TEXT NOT NULL,
            model         TEXT NOT NULL,
            state         TEXT NOT NULL,
            share_percent INTEGER,
            created_at    TEXT NOT NULL,
            created_by    TEXT NOT NULL,
            note          TEXT,
            released_at   TEXT,
            PRIMARY KEY (workspace_id, hash)
        ) STRICT;

        CREATE INDEX agent_versions_by_agent ON agent_versions (workspace_id, agent, created_at);

        CREATE TABLE agent_version_files (
            workspace_id TEXT NOT NULL,
            hash         TEXT NOT NULL,
            path         TEXT NOT NULL,
            sha256       TEXT NOT NULL,
            PRIMARY KEY (workspace_id, hash, path)
        ) STRICT;

        CREATE TABLE version_history (
            workspace_id  TEXT NOT NULL,
            seq           INTEGER NOT NULL,
            agent         TEXT NOT NULL,
            action        TEXT NOT NULL,
            version_hash  TEXT NOT NULL,
            actor         TEXT NOT NULL,
            at            TEXT NOT NULL,
            detail        TEXT NOT NULL,
            previous_hash TEXT NOT NULL,
            hash          TEXT NOT NULL,
            PRIMARY KEY (workspace_id, seq)
        ) STRICT;
        """;

    /// <inheritdoc />
    public override int Version => 5;

    /// <inheritdoc />
    public override string Name => "versions";

    /// <inheritdoc />
    public override void Up(SqliteConnection connection, SqliteTransaction transaction, TimeProvider timeProvider) => Execute(connection, transaction, Sql);
}
