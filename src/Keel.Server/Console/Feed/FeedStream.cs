using Keel.Server.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keel.Server.Console.Feed;

/// <summary><c>GET /console/stream</c>: a server-sent event stream that sends <c>event: changed</c> whenever the signed-in
/// workspace's feed changes (<see cref="LiveFeed.SignatureAsync"/>, checked every <see cref="PollInterval"/>), and a comment line
/// every 15 s so proxies keep it open. The page's htmx SSE extension reloads the feed's rows on each <c>changed</c>. The store is
/// polled rather than told, so a commit by another server instance on the same database shows too.</summary>
internal static class FeedStream
{
    /// <summary>How often the stream looks at the store: 250 ms, well inside the 1 s a new event may take to show.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static IEndpointRouteBuilder MapFeedStream(this IEndpointRouteBuilder app)
    {
        app.MapGet("/console/stream", StreamAsync).RequireAuthorization(ConsoleServices.Policy).ExcludeFromDescription();
        return app;
    }

    private static async Task StreamAsync(HttpContext http, LiveFeed feed, TimeProvider time)
    {
        var workspace = Caller.Of(http).WorkspaceId;
        var cancellationToken = http.RequestAborted;
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.Body.FlushAsync(cancellationToken);
        string? last = null;
        var quietSince = time.GetTimestamp();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var signature = await feed.SignatureAsync(workspace, cancellationToken);
                if (last is not null && signature != last)
                {
                    await http.Response.WriteAsync($"event: changed\ndata: {signature}\n\n", cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                    quietSince = time.GetTimestamp();
                }
                else if (time.GetElapsedTime(quietSince) > TimeSpan.FromSeconds(15))
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                    quietSince = time.GetTimestamp();
                }

                last = signature;
                await Task.Delay(PollInterval, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away.
        }
    }
}
