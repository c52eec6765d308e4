using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Keel.Knowledge;

/// <summary>One <see cref="KnowledgeBase"/> per workspace, created on first use; a workspace never sees another's passages.</summary>
/// <remarks>In memory, as long as the process (for a host that loads folders in process). The server keeps its knowledge bases in the store
/// (<see cref="Storage.IKnowledgeStore"/>) and caches them per workspace (docs/grounding.md). Thread-safe.</remarks>
public sealed class KnowledgeBases
{
    private readonly ConcurrentDictionary<string, KnowledgeBase> _byWorkspace = new(StringComparer.Ordinal);
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly RetrievalOptions _options;

    /// <summary>Creates the registry.</summary>
    /// <param name="generator">The embedding generator every knowledge base uses.</param>
    /// <param name="options">Retrieval settings; validated here.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public KnowledgeBases(IEmbeddingGenerator<string, Embedding<float>> generator, RetrievalOptions options)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _generator = generator;
        _options = options;
    }

    /// <summary>The knowledge base of a workspace (an empty one the first time).</summary>
    /// <param name="workspaceId">The workspace id.</param>
    /// <returns>The workspace's knowledge base.</returns>
    /// <exception cref="ArgumentException"><paramref name="workspaceId"/> is empty.</exception>
    public KnowledgeBase For(string workspaceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        return _byWorkspace.GetOrAdd(workspaceId, static (_, self) => new KnowledgeBase(self._generator, self._options), this);
    }
}
