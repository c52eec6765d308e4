using System.Globalization;
using System.Net.Http.Json;

namespace Keel.Sdk.Api;

/// <summary>Runs, messages, tool calls and events.</summary>
public sealed partial class KeelGatewayClient
{
    /// <summary>The header that makes a <c>POST</c> safe to retry.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary><c>POST /v1/runs</c>: opens a run of the key's agent.</summary>
    /// <param name="request">Run id, channel and workflow class; <see langword="null"/> sends <c>{}</c> and lets the server choose.</param>
    /// <param name="idempotencyKey">Makes the request safe to retry (1–200 printable ASCII characters); <see langword="null"/> sends none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new run (<c>201</c>).</returns>
    /// <exception cref="KeelApiException">The server answered an error status (403: not an agent key; 409: the id is taken).</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public Task<ApiRun> CreateRunAsync(CreateRunRequest? request = null, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "v1/runs", JsonContent.Create(request ?? new CreateRunRequest(), KeelApiJsonContext.Default.CreateRunRequest),
            idempotencyKey, KeelApiJsonContext.Default.ApiRun, authenticate: true, cancellationToken);

    /// <summary><c>GET /v1/runs?limit=</c>: the newest runs the key may read (an agent key: its agent's runs).</summary>
    /// <param name="limit">At most this many runs. The default is 100.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The runs, newest first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not positive.</exception>
    /// <exception cref="KeelApiException">The server answered an error status.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public async Task<IReadOnlyList<ApiRun>> ListRunsAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var path = string.Create(CultureInfo.InvariantCulture, $"v1/runs?limit={limit}");
        return (await SendAsync(HttpMethod.Get, path, null, null, KeelApiJsonContext.Default.RunList, authenticate: true, cancellationToken).ConfigureAwait(false)).Runs;
    }

    /// <summary><c>GET /v1/runs/{run_id}</c>.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The run.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is empty.</exception>
    /// <exception cref="KeelApiException">The server answered an error status (403: another workspace's run; 404: no such run).</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public Task<ApiRun> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"v1/runs/{Segment(runId)}", null, null, KeelApiJsonContext.Default.ApiRun, authenticate: true, cancellationToken);

    /// <summary><c>GET /v1/runs/{run_id}/events?after=</c>: the run's events after a sequence number.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="after">Only events with a larger sequence number. The default is 0 (all).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The events in sequence order.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is empty, or <paramref name="after"/> is negative.</exception>
    /// <exception cref="KeelApiException">The server answered an error status.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public async Task<IReadOnlyList<ApiEvent>> ListEventsAsync(string runId, long after = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        var path = string.Create(CultureInfo.InvariantCulture, $"v1/runs/{Segment(runId)}/events?after={after}");
        return (await SendAsync(HttpMethod.Get, path, null, null, KeelApiJsonContext.Default.EventList, authenticate: true, cancellationToken).ConfigureAwait(false)).Events;
    }

    /// <summary><c>POST /v1/runs/{run_id}/messages</c>: appends a conversation message to the run.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="message">Role, content and usage.</param>
    /// <param name="idempotencyKey">Makes the request safe to retry; <see langword="null"/> sends none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The sequence number the message got.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeelApiException">The server answered an error status.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public async Task<long> AppendMessageAsync(string runId, AppendMessageRequest message, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var path = $"v1/runs/{Segment(runId)}/messages";
        var answer = await SendAsync(HttpMethod.Post, path, JsonContent.Create(message, KeelApiJsonContext.Default.AppendMessageRequest), idempotencyKey,
            KeelApiJsonContext.Default.AppendMessageResponse, authenticate: true, cancellationToken).ConfigureAwait(false);
        return answer.Sequence;
    }

    /// <summary><c>POST /v1/runs/{run_id}/tool-calls</c>: proposes a tool call; Keel decides, runs it when allowed, and answers
    /// the outcome. Expected failures (denied, held, tool error) are outcomes, not exceptions.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="call">The call.</param>
    /// <param name="idempotencyKey">The <c>Idempotency-Key</c>. The default (<see langword="null"/>) sends none: the server then keys
    /// the call by its run and call id, so a retry of the same call runs it at most once, and equal call ids of other runs never collide.</param>
    /// <param name="cancellationToken">Cancels the request (the server may still decide and run the call).</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeelApiException">The server answered an error status (403: the tool is not the agent's; 409: the same key is in flight; 422: the key was used for another body).</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public Task<ApiToolCallOutcome> ProposeToolCallAsync(string runId, ApiToolCall call, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return SendAsync(HttpMethod.Post, $"v1/runs/{Segment(runId)}/tool-calls", JsonContent.Create(call, KeelApiJsonContext.Default.ApiToolCall),
            idempotencyKey, KeelApiJsonContext.Default.ApiToolCallOutcome, authenticate: true, cancellationToken);
    }

    /// <summary><c>POST /v1/runs/{run_id}/tool-calls/{call_id}/result</c>: records the result of a call Keel allowed and the host ran
    /// itself (the outcome's result was <c>not_executed</c>), so the run, its monitors and reports see what the tool answered.
    /// Sending the same result again answers the first record; a different one is refused.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="callId">The call id as proposed (<see cref="ApiToolCallOutcome.CallId"/>).</param>
    /// <param name="result">Status (<c>success</c> or <c>error</c>) and the function's output text.</param>
    /// <param name="idempotencyKey">Makes the request safe to retry; <see langword="null"/> sends none (a retry is still answered
    /// with the first record when the result is the same).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The call id, the result event's sequence number and the status recorded.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> or <paramref name="callId"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeelApiException">The server answered an error status (404: no such call in the run; 409 <c>call-not-allowed</c>:
    /// Keel did not allow the call; 409 <c>result-recorded</c>: the call already has another result).</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public Task<ApiToolResultRecorded> ReportToolResultAsync(string runId, string callId, ApiToolResultReport result, string? idempotencyKey = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        return SendAsync(HttpMethod.Post, $"v1/runs/{Segment(runId)}/tool-calls/{Segment(callId)}/result",
            JsonContent.Create(result, KeelApiJsonContext.Default.ApiToolResultReport), idempotencyKey, KeelApiJsonContext.Default.ApiToolResultRecorded,
            authenticate: true, cancellationToken);
    }

    /// <summary><c>POST /v1/runs/{run_id}/close</c>: ends the run.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="status"><c>completed</c> or <c>failed</c>; <see langword="null"/> lets the server decide.</param>
    /// <param name="idempotencyKey">Makes the request safe to retry; <see langword="null"/> sends none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The closed run.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is empty.</exception>
    /// <exception cref="KeelApiException">The server answered an error status.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public Task<ApiRun> CloseRunAsync(string runId, string? status = null, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"v1/runs/{Segment(runId)}/close", JsonContent.Create(new CloseRunRequest(status), KeelApiJsonContext.Default.CloseRunRequest),
            idempotencyKey, KeelApiJsonContext.Default.ApiRun, authenticate: true, cancellationToken);

    private static string Segment(string id, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(id))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id, name);
        return Uri.EscapeDataString(id);
    }
}
