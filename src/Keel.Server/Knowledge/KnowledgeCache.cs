using System.Collections.Concurrent;
using Keel.Knowledge;
using Keel.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Keel.Server.Knowledge;

/// <summary>The knowledge base of each workspace as this server holds it: an in-memory <see cref="KnowledgeBase"/> rebuilt from the
/// store (<see cref="IKnowledgeStore"/>), which is the source of truth. Writes go to the store; each search first reads the workspace's
/// knowledge version (one small query) and rebuilds the cache when it moved — after this server's own write, another server's on the
/// same database, or a restart. A rebuild reads the stored vectors and embeds nothing, except documents whose vectors came from another
/// embedding model (or have another length): those are embedded again with this server's model, stored back, and logged.</summary>
/// <remarks>Thread-safe: one rebuild per workspace at a time; searches read an immutable snapshot.</remarks>
internal sealed partial class KnowledgeCache
{
    /// <summary>The actor of a document stored back after a re-embedding.</summary>
    public const string ReembedActor = "keel:re-embed";

    private readonly ConcurrentDictionary<string, Entry> _byWorkspace = new(StringComparer.Ordinal);
    private readonly IKnowledgeStore _store;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly KnowledgeBase _embedder;
    private readonly int? _dimensions;
    private readonly ILogger<KnowledgeCache> _logger;

    public KnowledgeCache(IKnowledgeStore store, IEmbeddingGenerator<string, Embedding<float>> generator, RetrievalOptions options, ILogger<KnowledgeCache> logger)
    {
        _store = store;
        _generator = generator;
        _embedder = new KnowledgeBase(generator, options);
        _dimensions = generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions;
        _logger = logger;
    }

    /// <summary>The retrieval settings.</summary>
    public RetrievalOptions Options => _embedder.Options;

    /// <summary>Splits and embeds a document, then stores it (replacing one with its id).</summary>
    /// <returns>The stored document and whether it was created.</returns>
    /// <exception cref="StoreException">The write failed; nothing was stored.</exception>
    public async Task<(StoredKnowledgeDocument Document, bool Created)> PutAsync(string workspaceId, KnowledgeDocument document, string actor, CancellationToken cancellationToken)
    {
        var passages = await _embedder.EmbedAsync(document, cancellationToken);
        return await _store.PutKnowledgeDocumentAsync(workspaceId, document, _embedder.EmbeddingModel, passages, actor, cancellationToken);
    }

    /// <summary>The workspace's knowledge base as stored now.</summary>
    /// <returns>The knowledge base (do not add to it: it is replaced on the next change).</returns>
    /// <exception cref="StoreException">The store could not be read.</exception>
    public async Task<KnowledgeBase> ForAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var entry = _byWorkspace.GetOrAdd(workspaceId, static _ => new Entry());
        var version = await _store.GetKnowledgeVersionAsync(workspaceId, cancellationToken);
        if (entry.Current is { } current && current.Version == version)
        {
            return current.Base;
        }

        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            if (entry.Current is { } rebuilt && rebuilt.Version >= version)
            {
                return rebuilt.Base;
            }

            var (documents, listed) = await _store.ListKnowledgeDocumentsAsync(workspaceId, cancellationToken);
            var fresh = new KnowledgeBase(_generator, _embedder.Options);
            foreach (var stored in documents)
            {
                var document = new KnowledgeDocument(stored.Id, stored.Text, stored.Groups);
                if (SameModel(stored))
                {
                    fresh.Add(document, stored.Passages);
                    continue;
                }

                // Vectors of two models cannot be compared: embed again and store back (which moves the version: the next
                // request rebuilds once more and finds every document current).
                var passages = await _embedder.EmbedAsync(document, cancellationToken);
                await _store.PutKnowledgeDocumentAsync(workspaceId, document, _embedder.EmbeddingModel, passages, ReembedActor, cancellationToken);
                fresh.Add(document, passages);
                LogReembedded(workspaceId, stored.Id, stored.EmbeddingModel, stored.Dimensions, _embedder.EmbeddingModel);
            }

            entry.Current = new Snapshot(listed, fresh);
            return fresh;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private bool SameModel(StoredKnowledgeDocument stored) =>
        string.Equals(stored.EmbeddingModel, _embedder.EmbeddingModel, StringComparison.Ordinal)
        && (stored.Passages.Count == 0 || _dimensions is null || stored.Dimensions == _dimensions);

    [LoggerMessage(EventId = 8101, Level = LogLevel.Warning,
        Message = "knowledge: workspace {WorkspaceId} document '{DocumentId}' was embedded by '{StoredModel}' ({Dimensions} dimensions); embedded again with '{Model}' and stored back")]
    private partial void LogReembedded(string workspaceId, string documentId, string storedModel, int dimensions, string model);

    private sealed record Snapshot(long Version, KnowledgeBase Base);

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public volatile Snapshot? Current;
    }
}
