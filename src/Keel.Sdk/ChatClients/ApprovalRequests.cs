using Microsoft.Extensions.AI;

namespace Keel.Sdk.ChatClients;

/// <summary>Turns calls Keel holds into Microsoft.Extensions.AI approval requests.</summary>
internal static class ApprovalRequests
{
    /// <summary>In <paramref name="response"/>, replaces each held call's <see cref="FunctionCallContent"/> with a
    /// <see cref="ToolApprovalRequestContent"/> (request id: Keel's approval id) and removes the placeholder result the loop
    /// recorded for it; messages left empty are removed.</summary>
    /// <param name="response">The governed response.</param>
    /// <param name="held">Model call id → approval id.</param>
    public static void ReplaceHeldCalls(ChatResponse response, IReadOnlyDictionary<string, string> held)
    {
        if (held.Count == 0)
        {
            return;
        }

        foreach (var message in response.Messages)
        {
            for (var i = message.Contents.Count - 1; i >= 0; i--)
            {
                switch (message.Contents[i])
                {
                    case FunctionCallContent call when held.TryGetValue(call.CallId, out var approvalId):
                        message.Contents[i] = new ToolApprovalRequestContent(approvalId, call);
                        break;
                    case FunctionResultContent result when held.ContainsKey(result.CallId):
                        message.Contents.RemoveAt(i);
                        break;
                }
            }
        }

        var empty = response.Messages.Where(m => m.Contents.Count == 0).ToList();
        foreach (var message in empty)
        {
            response.Messages.Remove(message);
        }
    }
}
