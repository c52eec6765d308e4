using Keel.Knowledge;
using Npgsql;

namespace Keel.Storage.Postgres.Gateway;

public sealed partial class PostgresGatewayStore
{
    private const string KnowledgeColumns = "id, text, acl_groups, passages, embedding_model, dimensions, vectors, updated_at, updated_by";

    /// <inheritdoc />
    /// <remarks>One upsert (<c>ON CONFLICT DO UPDATE</c>, whose <c>xmax = 0</c> tells an insert from a replacement) and one upsert of the
    /// workspace's version row, which serializes concurrent writers of one workspace until they commit.</remarks>
    public Task<(StoredKnowledgeDocument Document, bool Created)> PutKnowledgeDocumentAsync(string workspaceId, KnowledgeDocument document, string embeddingModel, IReadOnlyList<StoredPassage> passages, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(embeddingModel);
        ArgumentNullException.ThrowIfNull(actor);
        var (blob, dimensions) = KnowledgeRows.ToBlob(passages);
        return InTransactionAsync(async (connection, transaction) =>
        {
            await BumpKnowledgeVersionAsync(connection, transaction, workspaceId);
            var now = _time.GetUtcNow();
            var created = (bool)(await Sql.ScalarAsync(connection, transaction, $"""
                INSERT INTO knowledge_documents (workspace_id, {KnowledgeColumns}) VALUES (@ws, @id, @text, @groups, @passages, @model, @dims, @vectors, @at, @by)
                ON CONFLICT (workspace_id, id) DO UPDATE SET text = excluded.text, acl_groups = excluded.acl_groups, passages = excluded.passages,
                    embedding_model = excluded.embedding_model, dimensions = excluded.dimensions, vectors = excluded.vectors,
                    updated_at = excluded.updated_at, updated_by = excluded.updated_by
                RETURNING (xmax = 0)
                """, ("ws", workspaceId), ("id", document.Id), ("text", document.Text), ("groups", KnowledgeRows.ToJson(document.Groups)),
                ("passages", KnowledgeRows.ToJson(passages.Select(p => p.Text))), ("model", embeddingModel), ("dims", (long)dimensions), ("vectors", blob),
                ("at", PostgresTime.ToUtcText(now)), ("by", actor)))!;
            return (new StoredKnowledgeDocument(document.Id, document.Text, [.. document.Groups], embeddingModel, dimensions, [.. passages], now, actor), created);
        }, $"knowledge document '{document.Id}' was not stored", cancellationToken);
    }

    /// <inheritdoc />
    public async Task<StoredKnowledgeDocument?> GetKnowledgeDocumentAsync(string workspaceId, string documentId, CancellationToken cancellationToken = default) =>
        await InTransactionAsync(async (connection, transaction) => (await ReadKnowledgeAsync(connection, transaction, workspaceId, documentId)).FirstOrDefault(),
            $"knowledge document '{documentId}' could not be read", cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteKnowledgeDocumentAsync(string workspaceId, string documentId, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            if (await Sql.ExecuteAsync(connection, transaction, "DELETE FROM knowledge_documents WHERE workspace_id = @ws AND id = @id", ("ws", workspaceId), ("id", documentId)) == 0)
            {
                return false;
            }

            await BumpKnowledgeVersionAsync(connection, transaction, workspaceId);
            return true;
        }, $"knowledge document '{documentId}' was not deleted", cancellationToken);

    /// <inheritdoc />
    /// <remarks>Repeatable read, so the documents and the version are one snapshot.</remarks>
    public Task<(IReadOnlyList<StoredKnowledgeDocument> Documents, long Version)> ListKnowledgeDocumentsAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        _database.InTransactionAsync(System.Data.IsolationLevel.RepeatableRead, async (connection, transaction) =>
        {
            var version = await KnowledgeVersionAsync(connection, transaction, workspaceId);
            return ((IReadOnlyList<StoredKnowledgeDocument>)await ReadKnowledgeAsync(connection, transaction, workspaceId, null), version);
        }, "the knowledge documents could not be listed", cancellationToken);

    /// <inheritdoc />
    public Task<long> GetKnowledgeVersionAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        InTransactionAsync((connection, transaction) => KnowledgeVersionAsync(connection, transaction, workspaceId), "the knowledge version could not be read", cancellationToken);

    private static Task<int> BumpKnowledgeVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId) =>
        Sql.ExecuteAsync(connection, transaction,
            "INSERT INTO knowledge_versions (workspace_id, version) VALUES (@ws, 1) ON CONFLICT (workspace_id) DO UPDATE SET version = knowledge_versions.version + 1",
            ("ws", workspaceId));

    private static async Task<long> KnowledgeVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId) =>
        await Sql.ScalarAsync(connection, transaction, "SELECT version FROM knowledge_versions WHERE workspace_id = @ws", ("ws", workspaceId)) is long version ? version : 0;

    private static async Task<List<StoredKnowledgeDocument>> ReadKnowledgeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, string? documentId)
    {
        await using var command = Sql.Command(connection, transaction,
            $"SELECT {KnowledgeColumns} FROM knowledge_documents WHERE workspace_id = @ws{(documentId is null ? "" : " AND id = @id")} ORDER BY id",
            ("ws", workspaceId), ("id", documentId));
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<StoredKnowledgeDocument>();
        while (await reader.ReadAsync())
        {
            var dimensions = (int)reader.GetInt64(5);
            list.Add(new StoredKnowledgeDocument(reader.GetString(0), reader.GetString(1), KnowledgeRows.FromJson(reader.GetString(2)), reader.GetString(4), dimensions,
                KnowledgeRows.Passages(KnowledgeRows.FromJson(reader.GetString(3)), reader.GetFieldValue<byte[]>(6), dimensions),
                PostgresTime.FromUtcText(reader.GetString(7)), reader.GetString(8)));
        }

        return list;
    }
}
