using System.ClientModel;
using Microsoft.Extensions.AI;

namespace Keel.Embeddings;

/// <summary>A chat client for any OpenAI-compatible <c>POST {endpoint}/chat/completions</c> API (OpenAI, Azure OpenAI's v1 surface,
/// vLLM, Ollama, llama.cpp's server, LM Studio), through <c>Microsoft.Extensions.AI.OpenAI</c> 11.0.0; used by the optional LLM
/// classifier and eval judge (docs/classifier.md).</summary>
public static class OpenAICompatibleChat
{
    /// <summary>Creates the client.</summary>
    /// <param name="endpoint">The API's base address including its version segment, e.g. <c>https://api.openai.com/v1</c> or
    /// <c>http://127.0.0.1:11434/v1</c>; requests go to <c>{endpoint}/chat/completions</c>.</param>
    /// <param name="model">The chat model, e.g. <c>gpt-4.1-mini</c>.</param>
    /// <param name="apiKey">The bearer key; <see langword="null"/> or empty for a local server that needs none (a placeholder is sent).</param>
    /// <returns>The client; thread-safe (the OpenAI client is). Errors of the endpoint surface as <see cref="ClientResultException"/>
    /// from its calls.</returns>
    /// <exception cref="ArgumentException"><paramref name="model"/> is empty or <paramref name="endpoint"/> is not absolute.</exception>
    public static IChatClient Create(Uri endpoint, string model, string? apiKey = null)
    {
        return OpenAICompatibleClient.Create(endpoint, model, apiKey, "chat").GetChatClient(model).AsIChatClient();
    }
}
