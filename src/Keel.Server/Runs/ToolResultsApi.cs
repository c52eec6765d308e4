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
using Keel.Sdk.Api;

namespace Keel.Server.Runs;

/// <summary><c>POST /v1/runs/{run_id}/tool-calls/{call_id}/result</c>: the agent's host reports what an allowed call's function
/// returned when no upstream tool server ran it (docs/gateway-api.md). Committed like every live change
/// (<see cref="LiveGateway.CommitAsync"/>: event, monitors' findings and idempotency answer in one transaction). Its body and answer are
/// the SDK's contracts (<c>Keel.Sdk.Api</c>), defined once.</summary>
internal static class ToolResultsApi
{
    public static IEndpointRouteBuilder MapToolResultsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/runs/{runId}/tool-calls/{callId}/result", ReportAsync).WithTags("runs").RequireRole(KeelRole.Agent)
            .WithName("ReportToolResult").Produces<ApiToolResultRecorded>(StatusCodes.Status201Created).Produces<ApiToolResultRecorded>();
        return app;
    }

    private static async Task<IResult> ReportAsync(string runId, string callId, ApiToolResultReport? request, HttpContext http, LiveGateway gateway,
        AccessGuard guard, TimeProvider time, Redaction.Redactor redactor, IOptions<JsonOptions> json)
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

        var output = request!.Output;
        if (output is null)
        {
            return Problems.Invalid("$.output", "output is required: the function's result as text (JSON as its text)");
        }

        return await RunsApi.WithOpenRunAsync(runId, http, gateway, guard, async live =>
        {
            var recording = HostToolResults.Record(live.State, live.Agent, callId, status.Value, output, time.GetUtcNow(), redactor);
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
            var answer = new ApiToolResultRecorded(callId, stored.Sequence, Keel.Sdk.InProcess.ApiContracts.StatusName(stored.Result.Status));
            return recording.Status == HostResultStatus.AlreadyRecorded
                ? TypedResults.Ok(answer)
                : await RunsApi.CommitAsync(http, gateway, live, null, executed: false, 201, answer, json, $"/v1/runs/{runId}/events?after={stored.Sequence - 1}");
        });
    }
}
