using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Keel.Sdk.Api;

/// <summary>The message gate and live intervention (docs/intervention.md): the agent's host sends replies through the gate and reads
/// what to deliver; operators pause, take over, release, write and decide on held replies.</summary>
public sealed partial class KeelGatewayClient
{
    /// <summary><c>POST /v1/runs/{run_id}/messages</c> with the gate's verdict: for an assistant reply, <c>deliver</c> (send it now) or
    /// <c>held</c> (do not send it; wait for the decision on <see cref="StreamDeliveriesAsync"/> or <see cref="PollDeliveriesAsync"/>).</summary>
    /// <param name="runId">The run.</param>
    /// <param name="message">Role, content, usage and channel.</param>
    /// <param name="idempotencyKey">Makes the request safe to retry; <see langword="null"/> sends none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeelApiException">The server answered an error status.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public Task<AppendMessageResponse> SendMessageAsync(string runId, AppendMessageRequest message, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendAsync(HttpMethod.Post, $"v1/runs/{Segment(runId)}/messages", JsonContent.Create(message, KeelApiJsonContext.Default.AppendMessageRequest), idempotencyKey,
            KeelApiJsonContext.Default.AppendMessageResponse, authenticate: true, cancellationToken);
    }

    /// <summary><c>POST /v1/runs/{run_id}/pause</c> (operator key): the agent's next replies are held.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="note">Why; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The intervention.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is empty.</exception>
    /// <exception cref="KeelApiException">The server answered an error status (403: not an operator key; 409: the run is not active, or closed).</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public Task<ApiIntervention> PauseRunAsync(string runId, string? note = null, CancellationToken cancellationToken = default) => InterveneAsync(runId, "pause", note, cancellationToken);

    /// <summary><c>POST /v1/runs/{run_id}/takeover</c> (operator key): the operator writes; the agent's replies are held and its tool calls refused.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="note">Why; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The intervention.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is empty.</exception>
    /// <exception cref="KeelApiException">The server answered an error status.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public Task<ApiIntervention> TakeOverRunAsync(string runId, string? note = null, CancellationToken cancellationToken = default) => InterveneAsync(runId, "takeover", note, cancellationToken);

    /// <summary><c>POST /v1/runs/{run_id}/release</c> (operator key): back to the agent.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="note">Why; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The intervention.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is empty.</exception>
    /// <exception cref="KeelApiException">The server answered an error status (409: the run is neither paused nor taken over).</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public Task<ApiIntervention> ReleaseRunAsync(string runId, string? note = null, CancellationToken cancellationToken = default) => InterveneAsync(runId, "release", note, cancellationToken);

    /// <summary><c>POST /v1/runs/{run_id}/operator-messages</c> (operator key, run taken over): a message to the customer, recorded with role <c>operator</c>.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="content">The text.</param>
    /// <param name="channel">The channel, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The message event's sequence number.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> or <paramref name="content"/> is empty.</exception>
    /// <exception cref="KeelApiException">The server answered an error status (409: the run is not taken over).</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public async Task<long> WriteOperatorMessageAsync(string runId, string content, string? channel = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(content);
        var answer = await SendAsync(HttpMethod.Post, $"v1/runs/{Segment(runId)}/operator-messages",
            JsonContent.Create(new OperatorMessageRequest(content, channel), KeelApiJsonContext.Default.OperatorMessageRequest), null,
            KeelApiJsonContext.Default.OperatorMessageResponse, authenticate: true, cancellationToken).ConfigureAwait(false);
        return answer.Sequence;
    }

    /// <summary><c>GET /v1/runs/{run_id}/interventions</c> (operator key): the run's held replies, pending and decided.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The held replies in order.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is empty.</exception>
    /// <exception cref="KeelApiException">The server answered an error status.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public async Task<IReadOnlyList<ApiHeldReply>> ListHeldRepliesAsync(string runId, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Get, $"v1/runs/{Segment(runId)}/interventions", null, null, KeelApiJsonContext.Default.HeldReplyList, authenticate: true, cancellationToken)
            .ConfigureAwait(false)).Interventions;

    /// <summary><c>POST /v1/runs/{run_id}/interventions/{intervention_id}/decision</c> (operator key): send, edit, replace or discard a held reply.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="interventionId">The held reply.</param>
    /// <param name="decision"><c>send</c>, <c>edit</c>, <c>replace</c> or <c>discard</c>.</param>
    /// <param name="content">The text for edit and replace; <see langword="null"/> for send and discard.</param>
    /// <param name="note">Why; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The held reply with its decision.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/>, <paramref name="interventionId"/> or <paramref name="decision"/> is empty.</exception>
    /// <exception cref="KeelApiException">The server answered an error status (400: text missing or not allowed; 404: no such held reply; 409: already decided).</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public Task<ApiHeldReply> DecideHeldReplyAsync(string runId, string interventionId, string decision, string? content = null, string? note = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(decision);
        return SendAsync(HttpMethod.Post, $"v1/runs/{Segment(runId)}/interventions/{Segment(interventionId)}/decision",
            JsonContent.Create(new ReplyDecisionRequest(decision, content, note), KeelApiJsonContext.Default.ReplyDecisionRequest), null,
            KeelApiJsonContext.Default.ApiHeldReply, authenticate: true, cancellationToken);
    }

    /// <summary><c>GET /v1/runs/{run_id}/deliveries?after=&amp;wait=</c>: the long-poll — the deliveries after a cursor, waiting up to
    /// <paramref name="wait"/> for the first.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="after">The cursor (<see cref="ApiDeliveryList.Next"/> of the previous call; 0 for the start).</param>
    /// <param name="wait">How long the server may wait, whole seconds from 0 to 60. The default is 25 seconds.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The deliveries and the next cursor.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="after"/> is negative or <paramref name="wait"/> is outside 0–60 s.</exception>
    /// <exception cref="KeelApiException">The server answered an error status.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public Task<ApiDeliveryList> PollDeliveriesAsync(string runId, long after = 0, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        var seconds = (int)(wait ?? TimeSpan.FromSeconds(25)).TotalSeconds;
        ArgumentOutOfRangeException.ThrowIfNegative(seconds, nameof(wait));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, 60, nameof(wait));
        var path = string.Create(CultureInfo.InvariantCulture, $"v1/runs/{Segment(runId)}/deliveries?after={after}&wait={seconds}");
        return SendAsync(HttpMethod.Get, path, null, null, KeelApiJsonContext.Default.ApiDeliveryList, authenticate: true, cancellationToken);
    }

    /// <summary><c>GET /v1/runs/{run_id}/stream</c>: the run's deliveries as server-sent events, from <paramref name="lastEventId"/> on,
    /// until <paramref name="cancellationToken"/> is cancelled or the server ends the stream. To resume after a break, call again with
    /// the <see cref="ApiDelivery.Sequence"/> of the last delivery handled: nothing is lost or repeated.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="lastEventId">The last delivery handled (sent as <c>Last-Event-ID</c>); 0 for the start.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The deliveries as they come.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is empty.</exception>
    /// <exception cref="KeelApiException">The server answered an error status.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public async IAsyncEnumerable<ApiDelivery> StreamDeliveriesAsync(string runId, long lastEventId = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lastEventId);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"v1/runs/{Segment(runId)}/stream", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        request.Headers.Add("Last-Event-ID", lastEventId.ToString(CultureInfo.InvariantCulture));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new KeelApiException(await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false));
        }

        using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var parser = SseParser.Create(body, (_, data) => JsonSerializer.Deserialize(data, KeelApiJsonContext.Default.ApiDelivery));
        await foreach (var item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (item.Data is { } delivery)
            {
                yield return delivery;
            }
        }
    }

    private Task<ApiIntervention> InterveneAsync(string runId, string action, string? note, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v1/runs/{Segment(runId)}/{action}", JsonContent.Create(new InterventionRequest(note), KeelApiJsonContext.Default.InterventionRequest), null,
            KeelApiJsonContext.Default.ApiIntervention, authenticate: true, cancellationToken);
}
