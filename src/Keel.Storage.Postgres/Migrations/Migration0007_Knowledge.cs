namespace Keel.Storage.Postgres.Migrations;

/// <summary>The knowledge base (<see cref="IKnowledgeStore"/>, docs/grounding.md): the SQLite store's migration 8.
/// <c>knowledge_documents</c> (one row per document and workspace: text, groups and passage texts as JSON arrays, the embedding model's
/// name and the vectors' dimensions, the vectors as one little-endian float32 blob, who wrote it and when) and <c>knowledge_versions</c>
/// (a counter per workspace, one more per write, which every server on the database compares to reload its cache).</summary>
internal sealed class Migration0007_Knowledge : Migration
{
    /// <inheritdoc />
    public override int Version => 7;

    /// <inheritdoc />
    public override string Name => "knowledge";

    /// <inheritdoc />
    protected override string Sql => """
        CREATE TABLE knowledge_documents (
            workspace_id    text COLLATE "C" NOT NULL,
            id              text COLLATE "C" NOT NULL,
            text            text NOT NULL,
            acl_groups      text NOT NULL,
            passages        text NOT NULL,
            embedding_model text COLLATE "C" NOT NULL,
            dimensions      bigint NOT NULL,
            vectors         bytea NOT NULL,
            updated_at      text COLLATE "C" NOT NULL,
            updated_by      text COLLATE "C" NOT NULL,
            PRIMARY KEY (workspace_id, id)
        );

        CREATE TABLE knowledge_versions (
            workspace_id text COLLATE "C" NOT NULL PRIMARY KEY,
            version      bigint NOT NULL
        );
        """;
}
