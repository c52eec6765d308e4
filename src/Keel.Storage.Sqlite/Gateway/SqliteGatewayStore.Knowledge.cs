using Keel.Knowledge;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Gateway;

public sealed partial class SqliteGatewayStore
{
    private const string KnowledgeColumns = "id, text, acl_groups, passages, embedding_model, dimensions, vectors, updated_at, updated_by";

    /// <inheritdoc />
    public Task<(StoredKnowledgeDocument Document, bool Created)> PutKnowledgeDocumentAsync(string workspaceId, KnowledgeDocument document, string embeddingModel, IReadOnlyList<StoredPassage> passages, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(embeddingModel);
        ArgumentNullException.ThrowIfNull(actor);
        var (blob, dimensions) = KnowledgeRows.ToBlob(passages);
        return InTransactionAsync(write: true, (connection, transaction) =>
        {
            var now = _time.GetUtcNow();
            using var exists = Command(connection, transaction, "SELECT 1 FROM knowledge_documents WHERE workspace_id = $ws AND id = $id", ("$ws", workspaceId), ("$id", document.Id));
            var created = exists.ExecuteScalar() is null;
            Execute(connection, transaction, $"""
                INSERT INTO knowledge_documents (workspace_id, {KnowledgeColumns}) VALUES ($ws, $id, $text, $groups, $passages, $model, $dims, $vectors, $at, $by)
                ON CONFLICT (workspace_id, id) DO UPDATE SET text = excluded.text, acl_groups = excluded.acl_groups, passages = excluded.passages,
                    embedding_model = excluded.embedding_model, dimensions = excluded.dimensions, vectors = excluded.vectors,
                    updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """, ("$ws", workspaceId), ("$id", document.Id), ("$text", document.Text), ("$groups", KnowledgeRows.ToJson(document.Groups)),
                ("$passages", KnowledgeRows.ToJson(passages.Select(p => p.Text))), ("$model", embeddingModel), ("$dims", dimensions), ("$vectors", blob),
                ("$at", SqliteTime.ToUtcText(now)), ("$by", actor));
            BumpKnowledgeVersion(connection, transaction, workspaceId);
            return (new StoredKnowledgeDocument(document.Id, document.Text, [.. document.Groups], embeddingModel, dimensions, [.. passages], now, actor), created);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<StoredKnowledgeDocument?> GetKnowledgeDocumentAsync(string workspaceId, string documentId, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: false, (connection, transaction) => ReadKnowledge(connection, transaction, workspaceId, documentId).FirstOrDefault(), cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteKnowledgeDocumentAsync(string workspaceId, string documentId, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: true, (connection, transaction) =>
        {
            if (Execute(connection, transaction, "DELETE FROM knowledge_documents WHERE workspace_id = $ws AND id = $id", ("$ws", workspaceId), ("$id", documentId)) == 0)
            {
                return false;
            }

            BumpKnowledgeVersion(connection, transaction, workspaceId);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<(IReadOnlyList<StoredKnowledgeDocument> Documents, long Version)> ListKnowledgeDocumentsAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: false, (connection, transaction) =>
            ((IReadOnlyList<StoredKnowledgeDocument>)ReadKnowledge(connection, transaction, workspaceId, null), KnowledgeVersion(connection, transaction, workspaceId)), cancellationToken);

    /// <inheritdoc />
    public Task<long> GetKnowledgeVersionAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: false, (connection, transaction) => KnowledgeVersion(connection, transaction, workspaceId), cancellationToken);

    private static void BumpKnowledgeVersion(SqliteConnection connection, SqliteTransaction transaction, string workspaceId) =>
        Execute(connection, transaction, "INSERT INTO knowledge_versions (workspace_id, version) VALUES ($ws, 1) ON CONFLICT (workspace_id) DO UPDATE SET version = version + 1",
            ("$ws", workspaceId));

    private static long KnowledgeVersion(SqliteConnection connection, SqliteTransaction transaction, string workspaceId)
    {
        using var command = Command(connection, transaction, "SELECT version FROM knowledge_versions WHERE workspace_id = $ws", ("$ws", workspaceId));
        return command.ExecuteScalar() is long version ? version : 0;
    }

    private static List<StoredKnowledgeDocument> ReadKnowledge(SqliteConnection connection, SqliteTransaction transaction, string workspaceId, string? documentId)
    {
        using var command = Command(connection, transaction,
            $"SELECT {KnowledgeColumns} FROM knowledge_documents WHERE workspace_id = $ws{(documentId is null ? "" : " AND id = $id")} ORDER BY id",
            ("$ws", workspaceId), ("$id", documentId));
        using var reader = command.ExecuteReader();
        var list = new List<StoredKnowledgeDocument>();
        while (reader.Read())
        {
            var dimensions = reader.GetInt32(5);
            list.Add(new StoredKnowledgeDocument(reader.GetString(0), reader.GetString(1), KnowledgeRows.FromJson(reader.GetString(2)), reader.GetString(4), dimensions,
                KnowledgeRows.Passages(KnowledgeRows.FromJson(reader.GetString(3)), (byte[])reader.GetValue(6), dimensions),
                SqliteTime.FromUtcText(reader.GetString(7), 0), reader.GetString(8)));
        }

        return list;
    }
}
