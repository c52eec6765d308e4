using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Migrations;

/// <summary>The knowledge base (<see cref="IKnowledgeStore"/>, docs/grounding.md): <c>knowledge_documents</c> (one row per document and
/// workspace: text, groups and passage texts as JSON arrays, the embedding model's name and the vectors' dimensions, the vectors as one
/// little-endian float32 blob, who wrote it and when) and <c>knowledge_versions</c> (a counter per workspace, one more per write, which
/// servers compare to reload their cache).</summary>
internal sealed class Migration0008_Knowledge : Migration
{
    private const string Sql = """
        CREATE TABLE knowledge_documents (
            workspace_id    TEXT NOT NULL,
            id              TEXT NOT NULL,
            text            TEXT NOT NULL,
            acl_groups      TEXT NOT NULL,
            passages        TEXT NOT NULL,
            embedding_model TEXT NOT NULL,
            dimensions      INTEGER NOT NULL,
            vectors         BLOB NOT NULL,
            updated_at      TEXT NOT NULL,
            updated_by      TEXT NOT NULL,
            PRIMARY KEY (workspace_id, id)
        ) STRICT;

        CREATE TABLE knowledge_versions (
            workspace_id TEXT NOT NULL PRIMARY KEY,
            version      INTEGER NOT NULL
        ) STRICT;
        """;

    /// <inheritdoc />
    public override int Version => 8;

    /// <inheritdoc />
    public override string Name => "knowledge";

    /// <inheritdoc />
    public override void Up(SqliteConnection connection, SqliteTransaction transaction, TimeProvider timeProvider) => Execute(connection, transaction, Sql);
}
