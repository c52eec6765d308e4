using System.ClientModel;
using Microsoft.Extensions.AI;

namespace Keel.Embeddings;

/// <summary>An embedding generator for any OpenAI-compatible <c>POST {endpoint}/embeddings</c> API (OpenAI, Azure OpenAI's v1 surface,
/// vLLM, Ollama, llama.cpp's server, LM Studio), through <c>Microsoft.Extensions.AI.OpenAI</c> 11.0.0.</summary>
public static class OpenAICompatibleEmbeddings
{
    /// <summary>Creates the generator.</summary>
    /// <param name="endpoint">The API's base address including its version segment, e.g. <c>https://api.openai.com/v1</c> or
    /// <c>http://127.0.0.1:11434/v1</c>; requests go to <c>{endpoint}/embeddings</c>.</param>
    /// <param name="model">The embedding model, e.g. <c>text-embedding-3-small</c>.</param>
    /// <param name="apiKey">The bearer key; <see langword="null"/> or empty for a local server that needs none (a placeholder is sent).</param>
    /// <param name="dimensions">The output size to ask for (models that support it), or <see langword="null"/> for the model's own.</param>
    /// <returns>The generator; thread-safe (the OpenAI client is). Errors of the endpoint surface as
    /// <see cref="ClientResultException"/> from its calls.</returns>
    /// <exception cref="ArgumentException"><paramref name="model"/> is empty or <paramref name="endpoint"/> is not absolute.</exception>
    public static IEmbeddingGenerator<string, Embedding<float>> Create(Uri endpoint, string model, string? apiKey = null, int? dimensions = null)
    {
        return OpenAICompatibleClient.Create(endpoint, model, apiKey, "embeddings").GetEmbeddingClient(model).AsIEmbeddingGenerator(dimensions);
    }
}
