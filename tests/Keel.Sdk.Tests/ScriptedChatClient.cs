using Microsoft.Extensions.AI;

namespace Keel.Sdk.Tests;

/// <summary>A model that answers from a script: each request gets the next turn, computed from the messages it was sent. Keeps
/// every request so a test can see what the model read.</summary>
internal sealed class ScriptedChatClient(params Func<IReadOnlyList<ChatMessage>, ChatResponse>[] turns) : IChatClient
{
    private int _next;

    public List<IReadOnlyList<ChatMessage>> Requests { get; } = [];

    public List<ChatOptions?> Options { get; } = [];

    public static ChatResponse Call(string callId, string tool, IDictionary<string, object?> arguments) =>
        new(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent(callId, tool, arguments)]));

    public static ChatResponse Say(string text, long tokens) =>
        new(new ChatMessage(ChatRole.Assistant, text)) { Usage = new UsageDetails { InputTokenCount = tokens - 10, OutputTokenCount = 10, TotalTokenCount = tokens } };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var seen = messages.ToList();
        Requests.Add(seen);
        Options.Add(options);
        if (_next >= turns.Length)
        {
            throw new InvalidOperationException($"the script has {turns.Length} turns; request {_next + 1} was not expected");
        }

        return Task.FromResult(turns[_next++](seen));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
