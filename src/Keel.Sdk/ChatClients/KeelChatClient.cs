using System.Runtime.CompilerServices;
using Keel.Sdk.Governance;
using Microsoft.Extensions.AI;

namespace Keel.Sdk.ChatClients;

/// <summary>Puts a Microsoft.Extensions.AI chat pipeline under Keel: every function call the model asks for is proposed to the
/// gateway first, and the conversation's messages and token usage are recorded on its run (docs/sdk.md).</summary>
/// <remarks>
/// <para>Place it <b>above</b> <see cref="FunctionInvokingChatClient"/>: <c>builder.UseKeel(…).UseFunctionInvocation()</c>. It
/// wraps each <see cref="AIFunction"/> of the request in a <see cref="KeelGovernedFunction"/>, so the function-invocation loop
/// below runs a host function only when Keel allows the call. A refused call's result is a sentence naming Keel's decision,
/// rule and reason, which the model reads as the tool's answer. A held call ends the loop and comes back to the host as a
/// <see cref="ToolApprovalRequestContent"/> whose <see cref="InputRequestContent.RequestId"/> is Keel's approval id; when the host
/// answers it with an approving <see cref="ToolApprovalResponseContent"/>, this client makes the call again through Keel, Keel
/// consumes the approval a person granted through its approvals API, the host's function runs once and the model reads its
/// result. If nobody has approved it in Keel yet, the same request for approval comes back and the model is not asked; a host
/// that rejects the request gives the model a result saying the call did not run.</para>
/// <para>Streaming is buffered: <see cref="GetStreamingResponseAsync"/> yields the updates of the whole response once it is
/// governed, since a held call can only be turned into an approval request after the loop has stopped.</para>
/// <para>Thread-safe as far as the inner client is.</para>
/// </remarks>
public sealed class KeelChatClient : DelegatingChatClient
{
    private readonly KeelGovernor _governor;
    private readonly bool _ownsGovernor;

    /// <summary>Creates the client.</summary>
    /// <param name="innerClient">The pipeline below, normally a <see cref="FunctionInvokingChatClient"/>.</param>
    /// <param name="governor">The connection to Keel.</param>
    /// <param name="ownsGovernor">Whether disposing this client disposes <paramref name="governor"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public KeelChatClient(IChatClient innerClient, KeelGovernor governor, bool ownsGovernor = false)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(governor);
        _governor = governor;
        _ownsGovernor = ownsGovernor;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? [.. messages];
        var session = _governor.SessionFor(list, options);
        await session.RecordUserMessagesAsync(list, cancellationToken).ConfigureAwait(false);

        if (await ApprovalResponses.ResolveAsync(list, options, session, cancellationToken).ConfigureAwait(false) is { } resolved)
        {
            if (resolved.StillHeld.Count > 0)
            {
                // Nobody has approved the call in Keel yet: the host gets the request for approval again; the model is not asked.
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, [.. resolved.StillHeld]));
            }

            list = resolved.Messages;
        }

        var response = await base.GetResponseAsync(list, Govern(options), cancellationToken).ConfigureAwait(false);
        ApprovalRequests.ReplaceHeldCalls(response, session.TakeHeld());

        var assistant = response.Messages.Where(m => m.Role == ChatRole.Assistant && session.MarkRecorded(m)).ToList();
        var texts = assistant.Select(m => m.Text).Where(t => !string.IsNullOrEmpty(t)).ToList();
        if (texts.Count == 0)
        {
            await session.RecordAssistantAsync(null, response.Usage, cancellationToken).ConfigureAwait(false);
        }

        for (var i = 0; i < texts.Count; i++)
        {
            // The usage of the whole governed exchange is put on its last reply.
            await session.RecordAssistantAsync(texts[i], i == texts.Count - 1 ? response.Usage : null, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(KeelGovernor) ? _governor : base.GetService(serviceType, serviceKey);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsGovernor)
        {
            _governor.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The request's options with every host function wrapped so Keel decides on it first.</summary>
    private ChatOptions? Govern(ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools)
        {
            return options;
        }

        var governed = options.Clone();
        governed.Tools = [.. tools.Select(t => t is AIFunction f and not KeelGovernedFunction ? new KeelGovernedFunction(f, _governor) : t)];
        return governed;
    }
}
