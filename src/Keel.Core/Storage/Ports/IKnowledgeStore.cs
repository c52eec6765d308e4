using Keel.Knowledge;

namespace Keel.Storage;

/// <summary>Storage port of the knowledge base (docs/grounding.md): each workspace's documents with their access-control groups, their
/// passages and the passages' embeddings, so a restart (or another server on the same database) reads them without embedding again.
/// Every write adds one to the workspace's knowledge version (<see cref="GetKnowledgeVersionAsync"/>), which a cache compares to know
/// when to reload.</summary>
/// <remarks>Implemented by the backends' gateway stores; thread-safe and, for a shared database, safe across processes. Every query is
/// filtered by workspace. The text is stored as written, not redacted: knowledge documents are operator-written content (policies,
/// help articles), not customer data, and retrieval must return them word for word.</remarks>
public interface IKnowledgeStore
{
    /// <summary>Stores a document with its passages, replacing one with the same id, dated by the store's clock, and adds one to the
    /// workspace's knowledge version — in one transaction.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="document">The document (id, text without front matter, groups as given).</param>
    /// <param name="embeddingModel">The name of the embedding model that made the vectors (<see cref="KnowledgeBase.EmbeddingModel"/>).</param>
    /// <param name="passages">The passages in document order, each with its unit-length vector; every vector has the same length.</param>
    /// <param name="actor">Who wrote it (an API key id).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored document and whether it was created (<see langword="false"/>: replaced).</returns>
    /// <exception cref="ArgumentException">The vectors differ in length.</exception>
    /// <exception cref="StoreException">The write failed; nothing was stored.</exception>
    Task<(StoredKnowledgeDocument Document, bool Created)> PutKnowledgeDocumentAsync(string workspaceId, KnowledgeDocument document, string embeddingModel, IReadOnlyList<StoredPassage> passages, string actor, CancellationToken cancellationToken = default);

    /// <summary>Reads one document with its passages.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="documentId">The document id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The document, or <see langword="null"/> when the workspace has none with that id.</returns>
    /// <exception cref="StoreException">The read failed.</exception>
    Task<StoredKnowledgeDocument?> GetKnowledgeDocumentAsync(string workspaceId, string documentId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a document and its passages, and adds one to the workspace's knowledge version when there was one.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="documentId">The document id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether there was such a document.</returns>
    /// <exception cref="StoreException">The write failed; nothing was deleted.</exception>
    Task<bool> DeleteKnowledgeDocumentAsync(string workspaceId, string documentId, CancellationToken cancellationToken = default);

    /// <summary>Reads every document of the workspace with its passages, by id (ordinal), and the knowledge version they belong to
    /// (read in the same transaction).</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The documents and the version.</returns>
    /// <exception cref="StoreException">The read failed.</exception>
    Task<(IReadOnlyList<StoredKnowledgeDocument> Documents, long Version)> ListKnowledgeDocumentsAsync(string workspaceId, CancellationToken cancellationToken = default);

    /// <summary>The workspace's knowledge version: 0 before the first write, then one more per put or delete.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The version.</returns>
    /// <exception cref="StoreException">The read failed.</exception>
    Task<long> GetKnowledgeVersionAsync(string workspaceId, CancellationToken cancellationToken = default);
}

/// <summary>A stored passage: its text and its embedding.</summary>
/// <param name="Text">The passage's text (<see cref="Passage.Text"/>).</param>
/// <param name="Vector">Its unit-length embedding, stored as little-endian float32.</param>
public sealed record StoredPassage(string Text, float[] Vector);

/// <summary>A stored knowledge document.</summary>
/// <param name="Id">The document id, unique in its workspace.</param>
/// <param name="Text">Markdown or plain text without front matter.</param>
/// <param name="Groups">The groups as written (empty: everyone; <see cref="KnowledgeGroups.ForDocument"/> normalizes them).</param>
/// <param name="EmbeddingModel">The embedding model that made the vectors; another model's vectors cannot be compared with them.</param>
/// <param name="Dimensions">The vectors' length (0 for a document without passages).</param>
/// <param name="Passages">The passages in document order.</param>
/// <param name="UpdatedAt">When it was last written (the store's clock, UTC).</param>
/// <param name="UpdatedBy">Who last wrote it.</param>
public sealed record StoredKnowledgeDocument(string Id, string Text, IReadOnlyList<string> Groups, string EmbeddingModel, int Dimensions,
    IReadOnlyList<StoredPassage> Passages, DateTimeOffset UpdatedAt, string UpdatedBy);
