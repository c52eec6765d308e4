using System.Text;
using System.Text.Json;
using Keel.Interventions;
using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Server.Runs;
using Keel.Storage;
using ApiContracts = Keel.Sdk.InProcess.ApiContracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Keel.Sdk.Api;

namespace Keel.Server.Interventions;

/// <summary>How the agent's host learns what to deliver (docs/intervention.md): <c>GET /v1/runs/{id}/stream</c>, server-sent events
/// with the event's sequence number as id (reconnect with <c>Last-Event-ID</c> to resume without loss), and the long-poll fallback
/// <c>GET /v1/runs/{id}/deliveries?after=&amp;wait=</c>. Both read the store (<see cref="DeliveryFeed"/>). The run's own agent key
/// and operator keys may read them.</summary>
internal static class DeliveriesApi
{
    /// <summary>The longest long-poll wait, seconds (60): below common proxy idle timeouts.</summary>
    public const int MaxWaitSeconds = 60;

    public static IEndpointRouteBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/runs/{runId}").WithTags("interventions");
        group.MapGet("/stream", StreamAsync).WithName("StreamRunDeliveries").Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        group.MapGet("/deliveries", PollAsync).WithName("PollRunDeliveries").Produces<ApiDeliveryList>();
        return app;
    }

    private static async Task<IResult> PollAsync(string runId, HttpContext http, IRunStore runs, AccessGuard guard, DeliveryFeed feed, string? after, string? wait)
    {
        var (cursor, badCursor) = QueryInteger.Parse(after, "after", 0, long.MaxValue, 0);
        var (seconds, badWait) = QueryInteger.Parse(wait, "wait", 0, MaxWaitSeconds, 25);
        if ((badCursor ?? badWait) is { } invalid)
        {
            return invalid;
        }

        var (run, problem) = await RunsApi.FindStoredAsync(runId, http, runs, guard);
        if (problem is not null)
        {
            return problem;
        }

        var (deliveries, next, status) = await feed.WaitAsync(run!.WorkspaceId, runId, cursor, TimeSpan.FromSeconds(seconds), http.RequestAborted);
        return TypedResults.Ok(new ApiDeliveryList([.. deliveries.Select(d => ApiContracts.ToApi(d))], next, RunEventJson.EnumName(status)));
    }

    private static async Task<IResult> StreamAsync(string runId, HttpContext http, IRunStore runs, AccessGuard guard, DeliveryFeed feed, KeelServerOptions options,
        IOptions<JsonOptions> json, string? after)
    {
        // Last-Event-ID (the browser's EventSource and SSE clients send it on reconnect) wins over ?after=.
        var resume = http.Request.Headers["Last-Event-ID"].ToString();
        var (cursor, invalid) = QueryInteger.Parse(string.IsNullOrEmpty(resume) ? after : resume, string.IsNullOrEmpty(resume) ? "after" : "Last-Event-ID", 0, long.MaxValue, 0);
        if (invalid is not null)
        {
            return invalid;
        }

        var (run, problem) = await RunsApi.FindStoredAsync(runId, http, runs, guard);
        if (problem is not null)
        {
            return problem;
        }

        var response = http.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(http.RequestAborted);
        await response.Body.WriteAsync("retry: 1000\n\n"u8.ToArray(), http.RequestAborted);
        await response.Body.FlushAsync(http.RequestAborted);
        try
        {
            while (!http.RequestAborted.IsCancellationRequested)
            {
                var (deliveries, next, status) = await feed.WaitAsync(run!.WorkspaceId, runId, cursor, options.StreamHeartbeat, http.RequestAborted);
                cursor = next;
                var text = new StringBuilder();
                foreach (var delivery in deliveries)
                {
                    text.Append("id: ").Append(delivery.Sequence).Append('\n');
                    Append(text, delivery, json.Value);
                }

                var ended = Delivery.Ends(status);
                if (ended)
                {
                    // The last event, without an id: a reconnect resumes after the last real delivery and gets this again.
                    Append(text, Delivery.Ended(cursor, options.TimeProvider.GetUtcNow(), status), json.Value);
                }
                else if (deliveries.Count == 0)
                {
                    text.Append(": keep-alive\n\n");
                }

                await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), http.RequestAborted);
                await response.Body.FlushAsync(http.RequestAborted);
                if (ended)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away: the stream ends; a reconnect with Last-Event-ID resumes.
        }

        return Results.Empty;
    }

    private static void Append(StringBuilder text, Delivery delivery, JsonOptions json) =>
        text.Append("event: ").Append(delivery.Type).Append('\n')
            .Append("data: ").Append(JsonSerializer.Serialize(ApiContracts.ToApi(delivery), json.SerializerOptions)).Append("\n\n");
}
