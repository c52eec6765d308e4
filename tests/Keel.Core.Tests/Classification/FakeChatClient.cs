using Microsoft.Extensions.AI;

namespace Keel.Core.Tests.Classification;

/// <summary>A hand-written chat client (Microsoft.Extensions.AI's TestChatClient style): answers each request with the next text and
/// token usage of its script, or throws the scripted exception; records every request.</summary>
internal sealed class FakeChatClient(params (string Text, long? InputTokens, long? OutputTokens)[] answers) : IChatClient
{
    private readonly Queue<(string Text, long? InputTokens, long? OutputTokens)> _answers = new(answers);

    public List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Requests { get; } = [];

    public Exception? Throws { get; init; }

    /// <summary>When set, answers every request from its messages instead of the script (10 input, 2 output tokens each).</summary>
    public Func<IReadOnlyList<ChatMessage>, string>? Responder { get; init; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (Requests)
        {
            Requests.Add(([.. messages], options));
            if (Throws is not null)
            {
                throw Throws;
            }

            var (text, input, output) = Responder is { } responder ? (responder(Requests[^1].Messages), 10L, 2L) : _answers.Dequeue();
            var usage = input is null && output is null ? null : new UsageDetails { InputTokenCount = input, OutputTokenCount = output };
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { Usage = usage, ModelId = options?.ModelId });
        }
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The classifier and the judge never stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
