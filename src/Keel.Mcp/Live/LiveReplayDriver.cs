using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Keel.Sdk.Api;
using Keel.Model;
using Keel.Replay;

namespace Keel.Mcp.Live;

/// <summary>Replays recorded runs through a live Keel gateway over its HTTP API (docs/gateway-api.md), so a real agent's calls hit
/// real tools through Keel: for each run it opens a run with the recorded id, appends every recorded message in order and proposes
/// every recorded assistant tool call (same call id, tool, arguments, parallel index and count), and collects the gateway's answer
/// per call (docs/live-replay.md).</summary>
/// <remarks>
/// <para><b>Live, not audit.</b> In <c>keel replay</c> Keel decides each call and the recorded result stands in for the tool. Here a
/// call Keel denies or holds does not run, so the upstream's state can drift from the recording and later answers — and the
/// decisions that read them — can differ. <see cref="LiveAuditComparison"/> says which calls did and why.</para>
/// <para><b>Order.</b> Runs are independent and replayed up to <see cref="LiveReplayOptions.Parallelism"/> at a time; the steps of
/// one run are sent strictly one after another. A held call is not retried or approved: the driver records the hold and goes on
/// with the recording.</para>
/// <para><b>Not sent.</b> Customer-side tool calls (tau2 telecom's <c>user</c> calls) and operator messages have no request in the
/// API and are counted in <see cref="LiveReplayedRun.StepsNotSent"/>; model usage recorded on a tool-call step (rather than a
/// message) is not sent either.</para>
/// <para><b>Idempotency.</b> Every request carries an <c>Idempotency-Key</c> made of a random id of this driver, the run id and the
/// step index: keys never collide across runs that reuse call ids, and a second driver replaying the same runs on the same server is
/// refused (<c>409</c>, the run exists) instead of being answered from the server's idempotency store with the first replay's
/// decisions.</para>
/// <para><b>Call ids.</b> A call id the recording reuses within a run (tau-bench trajectories do) is sent with <c>~</c> and the step
/// index appended, since the gateway takes each call id once per run; the comparison with audit replay goes by position, not id.</para>
/// <para><b>Errors.</b> A step the server refuses (<see cref="KeelApiException"/>), cannot be reached for
/// (<see cref="HttpRequestException"/>) or does not answer within <see cref="HttpClient.Timeout"/> stops that run; its
/// <see cref="LiveReplayedRun.Error"/> says why and the other runs go on.</para>
/// <para>Thread-safe: one driver may replay several batches at once.</para>
/// </remarks>
public sealed class LiveReplayDriver
{
    private readonly KeelGatewayClient _client;
    private readonly int _parallelism;
    private readonly string _prefix;
    private readonly bool _close;
    private readonly string _nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Creates a driver.</summary>
    /// <param name="client">The gateway client, with an <c>agent</c> key of the agent whose runs are replayed.</param>
    /// <param name="options">Parallelism, run id prefix, closing; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public LiveReplayDriver(KeelGatewayClient client, LiveReplayOptions? options = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        options ??= new LiveReplayOptions();
        options.Validate();
        _parallelism = options.Parallelism;
        _prefix = options.RunIdPrefix;
        _close = options.CloseRuns;
    }

    /// <summary>Replays runs, up to the configured number at once.</summary>
    /// <param name="runs">The recorded runs.</param>
    /// <param name="progress">Told after each run finishes; <see langword="null"/> for none. Called from worker threads.</param>
    /// <param name="cancellationToken">Cancels the replay; runs in flight stop after their current request.</param>
    /// <returns>Every run, in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="runs"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task<LiveReplayResult> ReplayAsync(IReadOnlyList<RecordedRun> runs, IProgress<LiveReplayProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var done = new LiveReplayedRun[runs.Count];
        var finished = 0;
        var calls = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, runs.Count), parallel, async (index, token) =>
        {
            var run = await ReplayRunAsync(runs[index], token).ConfigureAwait(false);
            done[index] = run;
            var callsDone = Interlocked.Add(ref calls, run.Calls.Count);
            progress?.Report(new LiveReplayProgress(Interlocked.Increment(ref finished), runs.Count, callsDone, run));
        }).ConfigureAwait(false);
        return new LiveReplayResult(done);
    }

    /// <summary>Replays one run: open, every step in order, close.</summary>
    /// <param name="recorded">The recorded run.</param>
    /// <param name="cancellationToken">Cancels the replay after the current request.</param>
    /// <returns>The run with the gateway's answer for each call; <see cref="LiveReplayedRun.Error"/> when the server stopped it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="recorded"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task<LiveReplayedRun> ReplayRunAsync(RecordedRun recorded, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var runId = _prefix + recorded.Id;
        var keys = KeyPrefix(runId);
        var calls = new List<LiveCall>();
        var messages = 0;
        var notSent = 0;
        try
        {
            await _client.CreateRunAsync(new CreateRunRequest(runId, WorkflowClass: recorded.Domain), keys + "open", cancellationToken).ConfigureAwait(false);
            var usedIds = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < recorded.Steps.Count; i++)
            {
                switch (recorded.Steps[i])
                {
                    case RecordedMessage { Role: not MessageRole.Operator } message:
                        var usage = message.Usage is { } u ? new ApiUsage(u.Tokens, u.CostUsd) : null;
                        await _client.AppendMessageAsync(runId, new AppendMessageRequest(Role(message.Role), message.Content, usage), keys + i, cancellationToken).ConfigureAwait(false);
                        messages++;
                        break;
                    case RecordedToolCall { Requestor: "assistant" } call:
                        var outcome = await _client.ProposeToolCallAsync(runId, ToApi(call.Call) with { Id = UniqueCallId(call.Call.Id, i, usedIds) }, keys + i, cancellationToken).ConfigureAwait(false);
                        calls.Add(new LiveCall(i, call, outcome));
                        break;
                    default:
                        notSent++;
                        break;
                }
            }

            if (_close)
            {
                await _client.CloseRunAsync(runId, "completed", keys + "close", cancellationToken).ConfigureAwait(false);
            }

            return new LiveReplayedRun(recorded, runId, calls, messages, notSent, null);
        }
        catch (Exception ex) when (ex is KeelApiException or HttpRequestException)
        {
            return new LiveReplayedRun(recorded, runId, calls, messages, notSent, ex.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new LiveReplayedRun(recorded, runId, calls, messages, notSent, "the server did not answer within the HTTP client's timeout");
        }
    }

    /// <summary>The call as the API takes it: the recorded arguments as a JSON object when they are one, otherwise as the recorded text
    /// (a JSON string), which the gateway parses — and rejects — exactly as it would the agent's.</summary>
    internal static ApiToolCall ToApi(ToolCall call)
    {
        JsonElement arguments;
        try
        {
            using var document = JsonDocument.Parse(call.ArgumentsJson);
            arguments = document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : JsonSerializer.SerializeToElement(call.ArgumentsJson, KeelApiJsonContext.Default.String);
        }
        catch (JsonException)
        {
            arguments = JsonSerializer.SerializeToElement(call.ArgumentsJson, KeelApiJsonContext.Default.String);
        }

        return new ApiToolCall(call.Id, call.ToolName, arguments, call.ParallelIndex, call.ParallelCount);
    }

    /// <summary>The call id sent: the recorded one, or — when the recording reuses it within the run, which the gateway refuses
    /// (<c>409 call-id-used</c>) — the recorded one with <c>~</c> and the step index appended.</summary>
    internal static string UniqueCallId(string recordedId, int step, HashSet<string> used) =>
        used.Add(recordedId) ? recordedId : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{recordedId}~{step}");

    private static string Role(MessageRole role) => role switch
    {
        MessageRole.User => "user",
        MessageRole.Assistant => "assistant",
        _ => "system",
    };

    /// <summary><c>live-replay:&lt;driver id&gt;:&lt;32 hex of SHA-256(run id)&gt;:</c> — short and printable whatever the run id holds.</summary>
    private string KeyPrefix(string runId) =>
        $"live-replay:{_nonce}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(runId)))[..32]}:";
}
