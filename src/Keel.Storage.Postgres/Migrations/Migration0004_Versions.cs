namespace Keel.Storage.Postgres.Migrations;

/// <summary>The version registry (docs/versions.md): <c>agent_versions</c> (one row per content hash and workspace, with its state and
/// share of new runs), <c>agent_version_files</c> (each version's paths) over <c>version_blobs</c> (file bytes stored once per workspace
/// under their SHA-256), and <c>version_history</c> (the hash-chained history of registrations and state changes). Times are fixed-width
/// UTC text as everywhere in this store (<see cref="PostgresTime"/>), so the history's hashes cover every tick.</summary>
internal sealed class Migration0004_Versions : Migration
{
    /// <inheritdoc />
    public override int Version => 4;

    /// <inheritdoc />
    public override string Name => "versions";

    /// <inheritdoc />
    protected override string Sql => """
        CREATE TABLE version_blobs (
            workspace_id text COLLATE "C" NOT NULL,
            sha256       text COLLATE "C" NOT NULL,
            bytes        bytea NOT NULL,
            PRIMARY KEY (workspace_id, sha256)
        );

        CREATE TABLE agent_versions (
            workspace_id  text COLLATE "C" NOT NULL,
            hash          text COLLATE "C" NOT NULL,
            agent         text COLLATE "C" NOT NULL,
            label         text COLLATE "C" NOT NULL,
            model         text COLLATE "C" NOT NULL,
            state         text COLLATE "C" NOT NULL,
            share_percent bigint,
            created_at    text COLLATE "C" NOT NULL,
            created_by    text COLLATE "C" NOT NULL,
            note          text COLLATE "C",
            released_at   text COLLATE "C",
            PRIMARY KEY (workspace_id, hash)
        );

        CREATE INDEX agent_versions_by_agent ON agent_versions (workspace_id, agent, created_at);

        CREATE TABLE agent_version_files (
            workspace_id text COLLATE "C" NOT NULL,
            hash         text COLLATE "C" NOT NULL,
            path         text COLLATE "C" NOT NULL,
            sha256       text COLLATE "C" NOT NULL,
            PRIMARY KEY (workspace_id, hash, path)
        );

        CREATE TABLE version_history (
            workspace_id  text COLLATE "C" NOT NULL,
            seq           bigint NOT NULL,
            agent         text COLLATE "C" NOT NULL,
            action        text COLLATE "C" NOT NULL,
            version_hash  text COLLATE "C" NOT NULL,
            actor         text COLLATE "C" NOT NULL,
            at            text COLLATE "C" NOT NULL,
            detail        text COLLATE "C" NOT NULL,
            previous_hash text COLLATE "C" NOT NULL,
            hash          text COLLATE "C" NOT NULL,
            PRIMARY KEY (workspace_id, seq)
        );
        """;
}
