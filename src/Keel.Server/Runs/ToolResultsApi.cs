using System.Text.Json;
using Keel.Gateway;
using Keel.Model;
using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Keel.Server.Runs;

/// <summary>Body of <c>POST /v1/runs/{run_id}/tool-calls/{call_id}/result</c>: the result of an allowed call the agent's host ran itself.</summary>
/// <param name="Status"><c>success</c> or <c>error</c>.</param>
/// <param name="Output">The function's result: a JSON string is recorded as its text, any other JSON value as its JSON text.</param>
public sealed record ReportToolResultRequest(string? Status, JsonElement Output);

/// <summary>Answer of <c>POST /v1/runs/{run_id}/tool-calls/{call_id}/result</c>.</summary>
/// <param name="CallId">The call the result belongs to.</param>
/// <param name="Sequence">The sequence number of the call's host result event (the first one, for a retry).</param>
/// <param name="Status"><c>success</c> or <c>error</c>, as recorded.</param>
public sealed record ToolResultRecordedDto(string CallId, long Sequence, string Status);

/// <summary><c>POST /v1/runs/{run_id}/tool-calls/{call_id}/result</c>: the agent's host reports what an allowed call's function
/// returned when no upstream tool server ran it (docs/gateway-api.md). Committed like every live change
/// (<see cref="LiveGateway.CommitAsync"/>: event, monitors' findings and idempotency answer in one transaction).</summary>
internal static class ToolResultsApi
{
    public static IEndpointRouteBuilder MapToolResultsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/runs/{runId}/tool-calls/{callId}/result", ReportAsync).WithTags("runs").RequireRole(KeelRole.Agent)
            .WithName("ReportToolResult").Produces<ToolResultRecordedDto>(StatusCodes.Status201Created).Produces<ToolResultRecordedDto>();
        return app;
    }

    private static async Task<IResult> ReportAsync(string runId, string callId, ReportToolResultRequest? request, HttpContext http, LiveGateway gateway,
        AccessGuard guard, TimeProvider time, IOptions<JsonOptions> json)
    {
        var status = request?.Status switch
        {
            "success" => ToolResultStatus.Ok,
            "error" => ToolResultStatus.Error,
            _ => (ToolResultStatus?)null,
        };
        if (status is null)
        {
            return Problems.Invalid("$.status", $"status '{request?.Status}' is not success or error (a host reports only a function that ran)");
        }

        var output = request!.Output.ValueKind switch
        {
            JsonValueKind.String => request.Output.GetString()!,
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            _ => request.Output.GetRawText(),
        };
        if (output is null)
        {
            return Problems.Invalid("$.output", "output is required: the function's result as a string or any JSON value");
        }

        return await RunsApi.WithOpenRunAsync(runId, http, gateway, guard, async live =>
        {
            var recording = HostToolResults.Record(live.State, live.Agent, callId, status.Value, output, time.GetUtcNow());
            switch (recording.Status)
            {
                case HostResultStatus.UnknownCall:
                    return Problems.Of(404, "not-found", "No such call", recording.Detail!);
                case HostResultStatus.NotAllowed:
                    return Problems.Of(409, "call-not-allowed", "Call not allowed", recording.Detail!);
                case HostResultStatus.ResultExists:
                    return Problems.Of(409, "result-recorded", "Result recorded", recording.Detail!);
            }

            var stored = recording.Event!;
            var answer = new ToolResultRecordedDto(callId, stored.Sequence, ResultDto.StatusName(stored.Result.Status));
            return recording.Status == HostResultStatus.AlreadyRecorded
                ? TypedResults.Ok(answer)
                : await RunsApi.CommitAsync(http, gateway, live, null, executed: false, 201, answer, json, $"/v1/runs/{runId}/events?after={stored.Sequence - 1}");
        });
    }
}
