using System.Net;
using System.Text.Json;
using Keel.Sdk.Api;
using Microsoft.Extensions.AI;

namespace Keel.Sdk.Governance;

/// <summary>One conversation's run on the gateway: opened on first use, then every message, usage and proposed call of the
/// conversation is recorded on it.</summary>
/// <remarks>Thread-safe. A call id the model reuses (the same call made again after an approval) is proposed under a derived
/// id, <c>&lt;call id&gt;~2</c>, <c>~3</c>, …, since the gateway takes each call id once per run.</remarks>
public sealed class KeelRunSession
{
    private readonly KeelGatewayClient _client;
    private readonly KeelOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _proposals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _held = new(StringComparer.Ordinal);
    private readonly HashSet<ChatMessage> _recorded = new(ReferenceEqualityComparer.Instance);
    private long _pendingTokens;
    private ApiRun? _run;
    private Task<ApiRun>? _opening;

    internal KeelRunSession(KeelGatewayClient client, KeelOptions options, string runId)
    {
        _client = client;
        _options = options;
        RunId = runId;
    }

    /// <summary>The run id.</summary>
    public string RunId { get; }

    /// <summary>The run as the gateway opened it; <see langword="null"/> before the first request.</summary>
    public ApiRun? Run => _run;

    /// <summary>Opens the run, or continues it when the gateway already has it (<c>409 run-exists</c>).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The run.</returns>
    /// <exception cref="InvalidOperationException">The run belongs to another agent or version than <see cref="KeelOptions.Agent"/> / <see cref="KeelOptions.Version"/>.</exception>
    /// <exception cref="KeelApiException">The gateway refused (401: bad key; 403: not an agent key).</exception>
    /// <exception cref="HttpRequestException">The gateway could not be reached.</exception>
    public Task<ApiRun> EnsureRunAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            // One open per session; a failed open is forgotten so the next request tries again.
            if (_opening is null || _opening.IsFaulted || _opening.IsCanceled)
            {
                _opening = OpenAsync(cancellationToken);
            }

            return _opening;
        }
    }

    private async Task<ApiRun> OpenAsync(CancellationToken cancellationToken)
    {
        ApiRun opened;
        try
        {
            opened = await _client.CreateRunAsync(new CreateRunRequest(RunId, _options.Channel, _options.WorkflowClass), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (KeelApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict && ex.Problem.Type == "urn:keel:problem:run-exists")
        {
            opened = await _client.GetRunAsync(RunId, cancellationToken).ConfigureAwait(false);
        }

        if (_options.Agent is { } agent && opened.Agent != agent)
        {
            throw new InvalidOperationException($"KeelOptions.Agent is '{agent}' but the key's run '{opened.Id}' is governed as agent '{opened.Agent}': use a key of agent '{agent}'.");
        }

        if (_options.Version is { } version && opened.AgentVersion != version)
        {
            throw new InvalidOperationException($"KeelOptions.Version is '{version}' but the gateway governs run '{opened.Id}' with version '{opened.AgentVersion}'.");
        }

        _run = opened;
        return opened;
    }

    /// <summary>Proposes a call to the gateway and maps its answer.</summary>
    /// <param name="callId">The model's call id.</param>
    /// <param name="name">The tool.</param>
    /// <param name="arguments">The arguments, a JSON object.</param>
    /// <param name="parallelIndex">0-based position among the calls of the model's turn.</param>
    /// <param name="parallelCount">How many calls the turn made.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>What the host does with the call.</returns>
    /// <exception cref="KeelApiException">The gateway answered an error status (e.g. 409 run-closed).</exception>
    /// <exception cref="HttpRequestException">The gateway could not be reached.</exception>
    public async Task<ToolCallVerdict> ProposeAsync(string callId, string name, JsonElement arguments, int parallelIndex = 0, int parallelCount = 1,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        ArgumentException.ThrowIfNullOrEmpty(name);
        await EnsureRunAsync(cancellationToken).ConfigureAwait(false);
        string proposedId;
        lock (_lock)
        {
            var count = _proposals.GetValueOrDefault(callId) + 1;
            _proposals[callId] = count;
            proposedId = count == 1 ? callId : $"{callId}~{count}";
        }

        var outcome = await _client.ProposeToolCallAsync(RunId, new ApiToolCall(proposedId, name, arguments, parallelIndex, Math.Max(1, parallelCount)),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        var verdict = ToolCallVerdict.From(outcome);
        lock (_lock)
        {
            if (verdict.Kind == ToolCallVerdictKind.Held)
            {
                _held[callId] = verdict.ApprovalId!;
            }
            else
            {
                _held.Remove(callId);
            }
        }

        return verdict;
    }

    /// <summary>Takes the calls held since the last take: model call id → approval id.</summary>
    internal IReadOnlyDictionary<string, string> TakeHeld()
    {
        lock (_lock)
        {
            var held = new Dictionary<string, string>(_held, StringComparer.Ordinal);
            _held.Clear();
            return held;
        }
    }

    /// <summary>Records the user messages of a request that were not recorded before (the same <see cref="ChatMessage"/> instance
    /// is recorded once; messages without text, such as approval responses, are skipped).</summary>
    /// <param name="messages">The request's messages.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>A task that completes when they are recorded.</returns>
    /// <exception cref="KeelApiException">The gateway answered an error status.</exception>
    public async Task RecordUserMessagesAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        await EnsureRunAsync(cancellationToken).ConfigureAwait(false);
        foreach (var message in messages)
        {
            if (message.Role != ChatRole.User || string.IsNullOrEmpty(message.Text) || !MarkRecorded(message))
            {
                continue;
            }

            await _client.AppendMessageAsync(RunId, new AppendMessageRequest("user", message.Text), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records an assistant message with the tokens used since the last recorded one.</summary>
    /// <param name="text">The message text; <see langword="null"/> or empty records nothing and carries <paramref name="tokens"/> to the next message.</param>
    /// <param name="tokens">Tokens used (input + output) by the model turns that produced it.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Whether the message may reach the customer (<see cref="MessageDelivery.Held"/> when the run is paused or taken over and the gateway's message gate held the reply).</returns>
    /// <exception cref="KeelApiException">The gateway answered an error status (429: the workspace budget is spent).</exception>
    public async Task<MessageDelivery> RecordAssistantAsync(string? text, long tokens, CancellationToken cancellationToken = default)
    {
        await EnsureRunAsync(cancellationToken).ConfigureAwait(false);
        var total = Interlocked.Add(ref _pendingTokens, Math.Max(0, tokens));
        if (string.IsNullOrEmpty(text))
        {
            return MessageDelivery.Deliver;
        }

        Interlocked.Add(ref _pendingTokens, -total);
        var usage = total > 0 ? new ApiUsage(total, 0m) : null;
        var answer = await _client.SendMessageAsync(RunId, new AppendMessageRequest("assistant", text, usage), cancellationToken: cancellationToken).ConfigureAwait(false);
        return answer.Delivery == "held" ? MessageDelivery.Held : MessageDelivery.Deliver;
    }

    /// <summary>Marks a response message as recorded so a host that sends it back in its history does not record it twice.</summary>
    internal bool MarkRecorded(ChatMessage message)
    {
        lock (_lock)
        {
            return _recorded.Add(message);
        }
    }
}
