using Keel.Knowledge;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the knowledge base (permission-aware retrieval, abstention, the grounding check) to a service collection.</summary>
public static class KnowledgeServiceCollectionExtensions
{
    /// <summary>Registers <see cref="RetrievalOptions"/> (validated), <see cref="KnowledgeBases"/> (one in-memory knowledge base per
    /// workspace) and <see cref="GroundingCheck"/>. An <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c> must be registered
    /// too, e.g. by <c>AddMiniLmEmbeddings()</c> (Keel.Embeddings). Calling it twice is harmless: the first settings win.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the retrieval settings; <see langword="null"/> keeps the defaults (abstain below 0.55).</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (thrown here, at registration).</exception>
    public static IServiceCollection AddKeelKnowledge(this IServiceCollection services, Action<RetrievalOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new RetrievalOptions();
        configure?.Invoke(options);
        options.Validate();
        services.TryAddSingleton(options);
        services.TryAddSingleton<KnowledgeBases>();
        services.TryAddSingleton<GroundingCheck>();
        return services;
    }
}
