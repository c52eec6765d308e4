using Keel.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c> Keel's knowledge base uses.</summary>
public static class EmbeddingsServiceCollectionExtensions
{
    /// <summary>Registers the local all-MiniLM-L6-v2 generator (<see cref="MiniLmEmbeddingGenerator"/>: no network, 384 dimensions)
    /// as a singleton, unless an embedding generator is already registered. The model loads on first use (about 90 MB).</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddMiniLmEmbeddings(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(_ => new MiniLmEmbeddingGenerator());
        return services;
    }

    /// <summary>Registers an OpenAI-compatible <c>/v1/embeddings</c> endpoint as the embedding generator, unless one is already registered.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="endpoint">The API base address with its version segment, e.g. <c>https://api.openai.com/v1</c>.</param>
    /// <param name="model">The embedding model.</param>
    /// <param name="apiKey">The bearer key, or <see langword="null"/> for a local server.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentException"><paramref name="model"/> is empty or <paramref name="endpoint"/> is not absolute.</exception>
    public static IServiceCollection AddOpenAICompatibleEmbeddings(this IServiceCollection services, Uri endpoint, string model, string? apiKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var generator = OpenAICompatibleEmbeddings.Create(endpoint, model, apiKey);
        services.TryAddSingleton(generator);
        return services;
    }
}
