using Microsoft.Extensions.AI;

namespace Keel.Knowledge;

/// <summary>The knowledge base of one workspace: passages with access-control lists, held in memory, searched by cosine similarity
/// among the passages the asker may read.</summary>
/// <remarks>
/// <para><b>Permission-aware:</b> a search first keeps the passages whose groups meet the asker's groups (plus
/// <see cref="KnowledgeGroups.Everyone"/>), and only then scores and ranks them. A passage of a group the asker lacks is never
/// scored, so it cannot come back, take a place in the top k, break a tie, change a count or appear in an error.</para>
/// <para><b>Abstention:</b> when the best readable passage scores below <see cref="RetrievalOptions.AbstainBelow"/> (cosine 0.55 by
/// default) or there is none, the decision is <see cref="RetrievalDecision.AbstainAndHandOff"/>.</para>
/// <para>Held in memory: the server keeps one per workspace as a cache of the documents stored through
/// <see cref="Storage.IKnowledgeStore"/> (docs/grounding.md). Brute-force scoring with
/// SIMD dot products: about 384 multiply-adds per passage for all-MiniLM-L6-v2. Thread-safe: adds swap an immutable snapshot under a
/// lock; searches read the current snapshot without locking.</para>
/// </remarks>
public sealed class KnowledgeBase
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly RetrievalOptions _options;
    private readonly Lock _gate = new();
    private Dictionary<string, (KnowledgeDocument Source, Passage[] Passages)> _documents = new(StringComparer.Ordinal);
    private Passage[] _passages = [];

    /// <summary>Creates an empty knowledge base.</summary>
    /// <param name="generator">Embeds passages and queries; every vector must have the same number of dimensions.</param>
    /// <param name="options">Retrieval settings; validated here.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public KnowledgeBase(IEmbeddingGenerator<string, Embedding<float>> generator, RetrievalOptions options)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _generator = generator;
        _options = options;
        EmbeddingModel = ModelNameOf(generator);
    }

    /// <summary>The retrieval settings.</summary>
    public RetrievalOptions Options => _options;

    /// <summary>Every passage, in document order of addition (a snapshot).</summary>
    public IReadOnlyList<Passage> Passages => _passages;

    /// <summary>The number of documents.</summary>
    public int DocumentCount => _documents.Count;

    /// <summary>The name of the embedding model behind the vectors: the generator's <see cref="EmbeddingGeneratorMetadata.DefaultModelId"/>,
    /// else its provider name, else its type name. Stored with the vectors (<see cref="Storage.IKnowledgeStore"/>): vectors of another
    /// model are embedded again, never compared.</summary>
    public string EmbeddingModel { get; }

    /// <summary>Splits a document into passages, embeds them and adds them; a document with the same id is replaced.</summary>
    /// <param name="document">The document.</param>
    /// <param name="cancellationToken">Cancels the embedding.</param>
    /// <returns>The document's passages (none for a blank document, which replaces an earlier one with its id by no passages).</returns>
    /// <exception cref="ArgumentException">The document id is empty.</exception>
    public async Task<IReadOnlyList<Passage>> AddAsync(KnowledgeDocument document, CancellationToken cancellationToken = default) =>
        Add(document, await EmbedAsync(document, cancellationToken).ConfigureAwait(false));

    /// <summary>Splits a document into passages and embeds them, without adding them (to store them first).</summary>
    /// <param name="document">The document.</param>
    /// <param name="cancellationToken">Cancels the embedding.</param>
    /// <returns>The passages' texts with their unit-length vectors, in document order.</returns>
    /// <exception cref="ArgumentException">The document id is empty.</exception>
    public async Task<IReadOnlyList<Storage.StoredPassage>> EmbedAsync(KnowledgeDocument document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentException.ThrowIfNullOrWhiteSpace(document.Id);
        var texts = PassageSplitter.Split(document.Text, _options.MaxPassageChars);
        var vectors = await EmbeddingVectors.EmbedAsync(_generator, texts, cancellationToken).ConfigureAwait(false);
        return [.. texts.Select((t, i) => new Storage.StoredPassage(t, vectors[i]))];
    }

    /// <summary>Adds a document whose passages are already embedded (read from a store); a document with the same id is replaced.</summary>
    /// <param name="document">The document.</param>
    /// <param name="embedded">Its passages with unit-length vectors of <see cref="EmbeddingModel"/>, in document order.</param>
    /// <returns>The document's passages.</returns>
    /// <exception cref="ArgumentException">The document id is empty.</exception>
    public IReadOnlyList<Passage> Add(KnowledgeDocument document, IReadOnlyList<Storage.StoredPassage> embedded)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(embedded);
        ArgumentException.ThrowIfNullOrWhiteSpace(document.Id);
        var groups = KnowledgeGroups.ForDocument(document.Groups);
        var passages = new Passage[embedded.Count];
        for (var i = 0; i < passages.Length; i++)
        {
            passages[i] = new Passage($"{document.Id}#{i}", document.Id, embedded[i].Text, groups, embedded[i].Vector);
        }

        lock (_gate)
        {
            var documents = new Dictionary<string, (KnowledgeDocument, Passage[])>(_documents, StringComparer.Ordinal) { [document.Id] = (document, passages) };
            Swap(documents);
        }

        return passages;
    }

    /// <summary>A document as it was added, with the number of its passages.</summary>
    /// <param name="id">The document id.</param>
    /// <returns>The document and its passage count, or <see langword="null"/> when there is none with that id.</returns>
    public (KnowledgeDocument Document, int Passages)? Document(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _documents.TryGetValue(id, out var entry) ? (entry.Source, entry.Passages.Length) : null;
    }

    /// <summary>Removes a document and its passages.</summary>
    /// <param name="id">The document id.</param>
    /// <returns>Whether there was such a document.</returns>
    public bool Remove(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            if (!_documents.ContainsKey(id))
            {
                return false;
            }

            var documents = new Dictionary<string, (KnowledgeDocument, Passage[])>(_documents, StringComparer.Ordinal);
            documents.Remove(id);
            Swap(documents);
            return true;
        }
    }

    private void Swap(Dictionary<string, (KnowledgeDocument Source, Passage[] Passages)> documents)
    {
        _documents = documents;
        _passages = [.. documents.Values.SelectMany(d => d.Passages)];
    }

    /// <summary>Adds every document of a load, in order.</summary>
    /// <param name="documents">The documents.</param>
    /// <param name="cancellationToken">Cancels the embedding.</param>
    /// <returns>The number of passages added.</returns>
    public async Task<int> AddRangeAsync(IEnumerable<KnowledgeDocument> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var count = 0;
        foreach (var document in documents)
        {
            count += (await AddAsync(document, cancellationToken).ConfigureAwait(false)).Count;
        }

        return count;
    }

    /// <summary>Searches the passages the asker may read.</summary>
    /// <param name="query">The question.</param>
    /// <param name="askerGroups">The asker's groups; <see cref="KnowledgeGroups.Everyone"/> is always added.</param>
    /// <param name="top">How many hits at most, 1 … <see cref="RetrievalOptions.MaxTop"/>; <see langword="null"/>:
    /// <see cref="RetrievalOptions.DefaultTop"/>.</param>
    /// <param name="cancellationToken">Cancels the embedding.</param>
    /// <returns>The hits and the decision.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is out of range.</exception>
    public async Task<RetrievalResult> SearchAsync(string query, IEnumerable<string>? askerGroups, int? top = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var k = CheckTop(top);
        var vector = (await EmbeddingVectors.EmbedAsync(_generator, [query], cancellationToken).ConfigureAwait(false))[0];
        return Search(query, vector, KnowledgeGroups.ForAsker(askerGroups), k);
    }

    /// <summary>Searches with a query vector already embedded (unit length), e.g. to reuse one embedding for several checks.</summary>
    /// <param name="query">The question, echoed in the result.</param>
    /// <param name="queryVector">The question's unit vector.</param>
    /// <param name="askerGroups">The asker's groups as <see cref="KnowledgeGroups.ForAsker"/> returns them.</param>
    /// <param name="top">How many hits at most (at least 1).</param>
    /// <returns>The hits and the decision.</returns>
    public RetrievalResult Search(string query, ReadOnlySpan<float> queryVector, IReadOnlySet<string> askerGroups, int top)
    {
        ArgumentNullException.ThrowIfNull(askerGroups);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var snapshot = _passages;
        var readable = new List<RetrievalHit>();
        foreach (var passage in snapshot)
        {
            // The access check comes first: a foreign passage is never scored.
            if (passage.Groups.Overlaps(askerGroups))
            {
                readable.Add(new RetrievalHit(passage, EmbeddingVectors.Cosine(queryVector, passage.Vector)));
            }
        }

        readable.Sort(static (a, b) => b.Score.CompareTo(a.Score) is var c and not 0 ? c : string.CompareOrdinal(a.Passage.Id, b.Passage.Id));
        var hits = readable.Count > top ? readable.GetRange(0, top) : readable;
        double? best = hits.Count > 0 ? hits[0].Score : null;
        var decision = best >= _options.AbstainBelow ? RetrievalDecision.Answer : RetrievalDecision.AbstainAndHandOff;
        return new RetrievalResult(query, hits, decision, best, _options.AbstainBelow);
    }

    /// <summary>The name of a generator's model (see <see cref="EmbeddingModel"/>).</summary>
    /// <param name="generator">The generator.</param>
    /// <returns>The name.</returns>
    public static string ModelNameOf(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        return metadata?.DefaultModelId ?? metadata?.ProviderName ?? generator.GetType().FullName ?? generator.GetType().Name;
    }

    private int CheckTop(int? top)
    {
        var k = top ?? _options.DefaultTop;
        if (k < 1 || k > _options.MaxTop)
        {
            throw new ArgumentOutOfRangeException(nameof(top), k, $"top must be between 1 and {_options.MaxTop}.");
        }

        return k;
    }
}
