using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Keel.Classification;

/// <summary>Asks a chat model one question for a JSON object, through any <see cref="IChatClient"/>, with the cache and the cost
/// counter every model feature of Keel shares (the conversation classifier, the eval judge). Thread-safe when the client is.</summary>
/// <remarks>One question: a cache look-up by <see cref="ModelAnswerCache.Key"/>; on a miss one request with
/// <see cref="ChatResponseFormat.Json"/> and temperature 0, its token usage counted; the answer parsed as one JSON object and checked
/// by the caller's validator. Expected failures are values (<see cref="JsonAnswer.Failure"/>) and counted: an endpoint error, an
/// answer that is not one JSON object, an answer the validator rejects. Only validated answers are cached. Cancellation is not a
/// failure: it throws <see cref="OperationCanceledException"/>.</remarks>
/// <param name="modelId">The model to ask, sent as <see cref="ChatOptions.ModelId"/> and part of every cache key.</param>
/// <param name="cache">The answers cache.</param>
/// <param name="cost">The cost counter.</param>
public sealed class JsonChat(string modelId, ModelAnswerCache cache, ModelCostCounter cost)
{
    /// <summary>The model id.</summary>
    public string ModelId { get; } = string.IsNullOrWhiteSpace(modelId) ? throw new ArgumentException("Give the model id, e.g. gpt-4.1-mini.", nameof(modelId)) : modelId;

    /// <summary>The answers cache.</summary>
    public ModelAnswerCache Cache { get; } = cache ?? throw new ArgumentNullException(nameof(cache));

    /// <summary>The cost counter.</summary>
    public ModelCostCounter Cost { get; } = cost ?? throw new ArgumentNullException(nameof(cost));

    /// <summary>The counts so far under <see cref="ModelId"/>.</summary>
    /// <returns>A snapshot.</returns>
    public ModelCost Snapshot() => Cost.Snapshot(ModelId);

    /// <summary>Asks one question.</summary>
    /// <param name="client">The chat client (e.g. an OpenAI-compatible endpoint's).</param>
    /// <param name="promptVersion">The version of the prompt's wording; part of the cache key.</param>
    /// <param name="instructions">The system message: the task and the answer's JSON shape.</param>
    /// <param name="content">The user message: the material to judge.</param>
    /// <param name="validate">Checks the parsed object; returns why it is not acceptable (an unknown label, a missing field), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The validated object, or the failure.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async Task<JsonAnswer> AskAsync(IChatClient client, string promptVersion, string instructions, string content, Func<JsonElement, string?> validate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(instructions);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(validate);
        var key = ModelAnswerCache.Key(ModelId, promptVersion, instructions + "\n\n" + content);
        if (Cache.TryGet(key, out var cached) && Parse(cached, validate) is { Value: { } hit })
        {
            Cost.CacheHit();
            return new JsonAnswer(hit, null, FromCache: true);
        }

        Cost.Call();
        ChatResponse response;
        try
        {
            var options = new ChatOptions { ModelId = ModelId, ResponseFormat = ChatResponseFormat.Json, Temperature = 0 };
            response = await client.GetResponseAsync([new ChatMessage(ChatRole.System, instructions), new ChatMessage(ChatRole.User, content)], options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // An endpoint that fails (HTTP error, refused connection, timeout) costs this question, never the whole job.
            Cost.EndpointError();
            return new JsonAnswer(null, $"the model endpoint failed: {ex.GetType().Name}: {ex.Message}", FromCache: false);
        }

        Cost.Usage(response.Usage?.InputTokenCount, response.Usage?.OutputTokenCount);
        var text = response.Text;
        var parsed = Parse(text, validate);
        if (parsed.Value is null)
        {
            if (parsed.Malformed)
            {
                Cost.MalformedAnswer();
            }
            else
            {
                Cost.InvalidAnswer();
            }

            return new JsonAnswer(null, parsed.Failure, FromCache: false);
        }

        Cache.Set(key, text);
        return new JsonAnswer(parsed.Value, null, FromCache: false);
    }

    private static (JsonElement? Value, string? Failure, bool Malformed) Parse(string text, Func<JsonElement, string?> validate)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return (null, $"the answer is not JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}): {Excerpt(text)}", true);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, $"the answer is JSON {root.ValueKind.ToString().ToLowerInvariant()}, not one object: {Excerpt(text)}", true);
        }

        return validate(root) is { } reason ? (null, $"the answer is not valid: {reason}", false) : (root, null, false);
    }

    private static string Excerpt(string text) => text.Length <= 80 ? text : text[..80] + "…";
}

/// <summary>One answer of <see cref="JsonChat.AskAsync"/>.</summary>
/// <param name="Value">The validated JSON object, or <see langword="null"/> when the question failed.</param>
/// <param name="Failure">Why it failed (endpoint error, not JSON, not valid), or <see langword="null"/>.</param>
/// <param name="FromCache">Whether the answer came from the cache (no request was sent).</param>
public sealed record JsonAnswer(JsonElement? Value, string? Failure, bool FromCache);
