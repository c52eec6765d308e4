using System.ClientModel;
using OpenAI;

namespace Keel.Embeddings;

/// <summary>The one place an OpenAI-compatible endpoint is turned into an <see cref="OpenAIClient"/>, for
/// <see cref="OpenAICompatibleEmbeddings"/> and <see cref="OpenAICompatibleChat"/>.</summary>
internal static class OpenAICompatibleClient
{
    /// <summary>Checks the arguments and creates the client.</summary>
    /// <param name="endpoint">The API's base address including its version segment, e.g. <c>http://127.0.0.1:11434/v1</c>.</param>
    /// <param name="model">The model; only checked here.</param>
    /// <param name="apiKey">The bearer key; <see langword="null"/> or empty for a local server that needs none (a placeholder is sent).</param>
    /// <param name="kind">What the endpoint serves, for the error message: <c>chat</c> or <c>embeddings</c>.</param>
    /// <returns>The client.</returns>
    /// <exception cref="ArgumentException"><paramref name="model"/> is empty or <paramref name="endpoint"/> is not absolute.</exception>
    public static OpenAIClient Create(Uri endpoint, string model, string? apiKey, string kind)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        if (!endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException($"The {kind} endpoint '{endpoint}' must be an absolute URI such as http://127.0.0.1:8080/v1.", nameof(endpoint));
        }

        return new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "unused" : apiKey), new OpenAIClientOptions { Endpoint = endpoint });
    }
}
