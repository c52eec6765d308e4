using Keel.Sdk.Governance;
using Microsoft.Extensions.AI;

namespace Keel.Sdk.ChatClients;

/// <summary>Completes the host's answers to Keel's approval requests before the request goes down the pipeline: an approving
/// <see cref="ToolApprovalResponseContent"/> makes the call again through Keel (which consumes the approval a person granted in
/// Keel, or holds the call again), a rejecting one gives the model a result saying so; the approval contents are replaced by
/// the call and its result, so the function-invocation loop below sees an ordinary tool exchange.</summary>
internal static class ApprovalResponses
{
    /// <summary>The rewritten history, and the calls Keel still holds (model call id → approval id) with their call contents.</summary>
    public sealed record Resolution(List<ChatMessage> Messages, List<ToolApprovalRequestContent> StillHeld);

    /// <summary>Resolves every answer to a Keel approval request (request ids starting <c>apr_</c>) in <paramref name="messages"/>.</summary>
    /// <returns><see langword="null"/> when the history holds no such answer.</returns>
    public static async Task<Resolution?> ResolveAsync(IList<ChatMessage> messages, ChatOptions? options, KeelRunSession session, CancellationToken cancellationToken)
    {
        var answers = messages.SelectMany(m => m.Contents).OfType<ToolApprovalResponseContent>()
            .Where(r => r.RequestId.StartsWith("apr_", StringComparison.Ordinal) && r.ToolCall is FunctionCallContent).ToList();
        if (answers.Count == 0)
        {
            return null;
        }

        var results = new Dictionary<string, FunctionResultContent>(StringComparer.Ordinal);
        var stillHeld = new List<ToolApprovalRequestContent>();
        foreach (var answer in answers)
        {
            var call = (FunctionCallContent)answer.ToolCall;
            if (!answer.Approved)
            {
                results[answer.RequestId] = new FunctionResultContent(call.CallId,
                    $"The host did not approve this call{(answer.Reason is { Length: > 0 } r ? $": {r}" : string.Empty)}. The tool did not run.");
                continue;
            }

            var arguments = System.Text.Json.JsonSerializer.SerializeToElement(call.Arguments ?? new Dictionary<string, object?>(),
                AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));
            var verdict = await session.ProposeAsync(call.CallId, call.Name, arguments, cancellationToken: cancellationToken).ConfigureAwait(false);
            session.TakeHeld();
            switch (verdict.Kind)
            {
                case ToolCallVerdictKind.Held:
                    stillHeld.Add(new ToolApprovalRequestContent(verdict.ApprovalId!, call));
                    break;
                case ToolCallVerdictKind.RunLocally:
                    // The host's function of the approved call; its result is recorded on the run. A function the request no
                    // longer offers did not run, so nothing is recorded for it.
                    results[answer.RequestId] = new FunctionResultContent(call.CallId,
                        options?.Tools?.OfType<AIFunction>().FirstOrDefault(f => f.Name == call.Name) is { } function
                            ? await session.RunAllowedAsync(verdict, ct => function.InvokeAsync(new AIFunctionArguments(call.Arguments), ct), cancellationToken).ConfigureAwait(false)
                            : $"The tool '{call.Name}' is not available to this request. The call did not run.");
                    break;
                default:
                    results[answer.RequestId] = new FunctionResultContent(call.CallId, verdict.ResultText);
                    break;
            }
        }

        return new Resolution(Rewrite(messages, answers, results), stillHeld);
    }

    /// <summary>Replaces each answered request by its call, drops the answers, and puts each result right after its call.</summary>
    private static List<ChatMessage> Rewrite(IList<ChatMessage> messages, List<ToolApprovalResponseContent> answers, Dictionary<string, FunctionResultContent> results)
    {
        var answered = answers.Select(a => a.RequestId).ToHashSet(StringComparer.Ordinal);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var rewritten = new List<ChatMessage>();
        foreach (var message in messages)
        {
            var copy = message.Clone();
            copy.Contents = [];
            var after = new List<AIContent>();
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case ToolApprovalRequestContent request when answered.Contains(request.RequestId):
                        if (results.TryGetValue(request.RequestId, out var result))
                        {
                            copy.Contents.Add(request.ToolCall);
                            after.Add(result);
                            placed.Add(request.RequestId);
                        }

                        break;
                    case ToolApprovalResponseContent response when answered.Contains(response.RequestId):
                        break;
                    default:
                        copy.Contents.Add(content);
                        break;
                }
            }

            if (copy.Contents.Count > 0)
            {
                rewritten.Add(copy);
            }

            if (after.Count > 0)
            {
                rewritten.Add(new ChatMessage(ChatRole.Tool, after));
            }
        }

        // Answers whose request is not in the history: the call and its result go at the end.
        foreach (var answer in answers.Where(a => results.ContainsKey(a.RequestId) && !placed.Contains(a.RequestId)))
        {
            rewritten.Add(new ChatMessage(ChatRole.Assistant, [answer.ToolCall]));
            rewritten.Add(new ChatMessage(ChatRole.Tool, [results[answer.RequestId]]));
        }

        return rewritten;
    }
}
