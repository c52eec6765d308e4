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
    private readonly IKeelGateway _gateway;
    private readonly KeelOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _proposals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _held = new(StringComparer.Ordinal);
    private readonly HashSet<ChatMessage> _recorded = new(ReferenceEqualityComparer.Instance);
    private ApiUsage? _pendingUsage;
    private int _unreportedResults;
    private ApiRun? _run;
    private Task<ApiRun>? _opening;

    internal KeelRunSession(IKeelGateway gateway, KeelOptions options, string runId)
    {
        _gateway = gateway;
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
            opened = await _gateway.OpenRunAsync(new CreateRunRequest(RunId, _options.Channel, _options.WorkflowClass), cancellationToken).ConfigureAwait(false);
        }
        catch (KeelApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict && ex.Problem.Type == "urn:keel:problem:run-exists")
        {
            opened = await _gateway.GetRunAsync(RunId, cancellationToken).ConfigureAwait(false);
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

        var outcome = await _gateway.ProposeToolCallAsync(RunId, new ApiToolCall(proposedId, name, arguments, parallelIndex, Math.Max(1, parallelCount)),
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

    /// <summary>How many results of host functions could not be recorded on the run (the gateway was unreachable or refused them);
    /// those calls keep their <c>not_executed</c> result in the run, while the model still read the function's answer.</summary>
    public int UnreportedResults => Volatile.Read(ref _unreportedResults);

    /// <summary>Runs the host's function of a call Keel allowed (<see cref="ToolCallVerdictKind.RunLocally"/>) and records what it
    /// returned on the run (<c>POST /v1/runs/{run_id}/tool-calls/{call_id}/result</c>): <c>success</c> with the result as text, or
    /// <c>error</c> with the exception's type and message, which is then rethrown. The function's answer reaches the model whether or
    /// not the record could be written (<see cref="UnreportedResults"/> counts those that could not).</summary>
    /// <param name="verdict">Keel's verdict on the call; its outcome names the call id as proposed.</param>
    /// <param name="invoke">Runs the host's function.</param>
    /// <param name="cancellationToken">Cancels the function and the request.</param>
    /// <returns>The function's result.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="verdict"/> is not <see cref="ToolCallVerdictKind.RunLocally"/>.</exception>
    public async Task<object?> RunAllowedAsync(ToolCallVerdict verdict, Func<CancellationToken, ValueTask<object?>> invoke, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(invoke);
        if (verdict.Kind != ToolCallVerdictKind.RunLocally)
        {
            throw new ArgumentException($"only a call Keel allowed for the host to run has a host result; this one is {verdict.Kind}", nameof(verdict));
        }

        object? result;
        try
        {
            result = await invoke(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await ReportAsync(verdict.Outcome.CallId, new ApiToolResultReport(ApiToolResult.Error, $"{ex.GetType().Name}: {ex.Message}"), cancellationToken).ConfigureAwait(false);
            throw;
        }

        await ReportAsync(verdict.Outcome.CallId, new ApiToolResultReport(ApiToolResult.Success, ResultText(result)), cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task ReportAsync(string callId, ApiToolResultReport report, CancellationToken cancellationToken)
    {
        try
        {
            await _gateway.ReportToolResultAsync(RunId, callId, report, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is KeelApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The function ran: its answer must reach the model even when the record cannot be written.
            Interlocked.Increment(ref _unreportedResults);
        }
    }

    /// <summary>A function's result as the run records it: text as is, JSON as its text, anything else serialized as M.E.AI does.</summary>
    internal static string ResultText(object? result) => result switch
    {
        null => string.Empty,
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString()!,
        JsonElement element => element.GetRawText(),
        _ => JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions.GetTypeInfo(result.GetType())),
    };

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

            await _gateway.SendMessageAsync(RunId, new AppendMessageRequest("user", message.Text), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records an assistant message with the model usage since the last recorded one (on its event, <c>data.usage</c>,
    /// and against the budgets).</summary>
    /// <param name="text">The message text; <see langword="null"/> or empty records nothing and carries <paramref name="usage"/> to the next message.</param>
    /// <param name="usage">The usage of the model turns that produced it (<see cref="ChatResponse.Usage"/>): tokens are
    /// <see cref="UsageDetails.TotalTokenCount"/>, else input + output; input and output tokens are recorded when reported.
    /// <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Whether the message may reach the customer (<see cref="MessageDelivery.Held"/> when the run is paused or taken over and the gateway's message gate held the reply).</returns>
    /// <exception cref="KeelApiException">The gateway answered an error status (429: the workspace budget is spent).</exception>
    public async Task<MessageDelivery> RecordAssistantAsync(string? text, UsageDetails? usage, CancellationToken cancellationToken = default)
    {
        await EnsureRunAsync(cancellationToken).ConfigureAwait(false);
        ApiUsage? pending;
        lock (_lock)
        {
            if (usage is not null)
            {
                var tokens = usage.TotalTokenCount ?? (usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0);
                _pendingUsage = new ApiUsage(
                    (_pendingUsage?.Tokens ?? 0) + Math.Max(0, tokens),
                    0m,
                    Sum(_pendingUsage?.InputTokens, usage.InputTokenCount),
                    Sum(_pendingUsage?.OutputTokens, usage.OutputTokenCount));
            }

            if (string.IsNullOrEmpty(text))
            {
                return MessageDelivery.Deliver;
            }

            pending = _pendingUsage;
            _pendingUsage = null;
        }

        var report = pending is { Tokens: > 0 } or { InputTokens: not null } or { OutputTokens: not null } ? pending : null;
        var answer = await _gateway.SendMessageAsync(RunId, new AppendMessageRequest("assistant", text, report), cancellationToken: cancellationToken).ConfigureAwait(false);
        return answer.Delivery == "held" ? MessageDelivery.Held : MessageDelivery.Deliver;
    }

    private static long? Sum(long? carried, long? reported) => carried is null && reported is null ? null : (carried ?? 0) + Math.Max(0, reported ?? 0);

    /// <summary>Marks a response message as recorded so a host that sends it back in its history does not record it twice.</summary>
    internal bool MarkRecorded(ChatMessage message)
    {
        lock (_lock)
        {
            return _recorded.Add(message);
        }
    }
}
