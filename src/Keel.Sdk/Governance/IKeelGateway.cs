using Keel.Sdk.Api;

namespace Keel.Sdk.Governance;

/// <summary>What the SDK asks of Keel for one conversation's run: open or read it, propose a call, record a message, record the
/// host's result of an allowed call. Two implementations: <see cref="KeelGatewayClient"/> (a remote <c>keel serve</c> over HTTP)
/// and the in-process gateway of the <c>Keel.Sdk.InProcess</c> package (Core's pipeline in the host process); both answer with
/// the same contracts (<c>Keel.Sdk.Api</c>) and refuse with the same <see cref="KeelApiException"/> problems (docs/sdk.md).</summary>
/// <remarks>Implementations are thread-safe.</remarks>
public interface IKeelGateway
{
    /// <summary>Opens a run for the gateway's agent (<c>POST /v1/runs</c>).</summary>
    /// <param name="request">The run's id, channel and workflow class.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new run.</returns>
    /// <exception cref="KeelApiException">Refused: 409 <c>urn:keel:problem:run-exists</c> when the id is taken, 400 for a bad field
    /// (the problem names it).</exception>
    Task<ApiRun> OpenRunAsync(CreateRunRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads a run (<c>GET /v1/runs/{run_id}</c>).</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The run.</returns>
    /// <exception cref="KeelApiException">Refused: 404 when there is no such run.</exception>
    Task<ApiRun> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Proposes a call (<c>POST /v1/runs/{run_id}/tool-calls</c>): Keel decides, and runs it when an upstream is configured.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="call">The call; its id is used once per run.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Keel's decision and the tool's result (<c>not_executed</c> when it did not run).</returns>
    /// <exception cref="KeelApiException">Refused: 409 <c>run-closed</c>, <c>call-id-used</c>, <c>run-taken-over</c>; 404 for no such run.</exception>
    Task<ApiToolCallOutcome> ProposeToolCallAsync(string runId, ApiToolCall call, CancellationToken cancellationToken = default);

    /// <summary>Records what the host's function of an allowed call returned (<c>POST /v1/runs/{run_id}/tool-calls/{call_id}/result</c>).</summary>
    /// <param name="runId">The run.</param>
    /// <param name="callId">The call as proposed.</param>
    /// <param name="result">The result.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The recorded result.</returns>
    /// <exception cref="KeelApiException">Refused: 404 unknown call; 409 <c>call-not-allowed</c>, <c>result-recorded</c>.</exception>
    Task<ApiToolResultRecorded> ReportToolResultAsync(string runId, string callId, ApiToolResultReport result, CancellationToken cancellationToken = default);

    /// <summary>Records a message with its usage (<c>POST /v1/runs/{run_id}/messages</c>) and answers whether it may be delivered.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="message">Role, content, usage and channel.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The event's sequence and <c>deliver</c> or <c>held</c>.</returns>
    /// <exception cref="KeelApiException">Refused: 429 <c>budget-exceeded</c>; 409 <c>run-closed</c>; 400 for a bad field.</exception>
    Task<AppendMessageResponse> SendMessageAsync(string runId, AppendMessageRequest message, CancellationToken cancellationToken = default);
}
