using Keel.Server.Access;
using Keel.Server.Interventions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keel.Server.Console.Feed;

/// <summary><c>GET /console/stream</c>: a server-sent event stream that sends <c>event: changed</c> whenever the signed-in
/// workspace's feed changes (<see cref="LiveFeed.SignatureAsync"/>), and a comment line every 15 s so proxies keep it open. The page's
/// htmx SSE extension reloads the feed's rows on each <c>changed</c>. The stream waits on <see cref="RunSignals"/> (a commit of this
/// process to any run of the workspace wakes it at once) and looks at the store every <see cref="KeelServerOptions.FeedPollInterval"/>
/// besides, so a commit by another server instance on the same database shows too.</summary>
internal static class FeedStream
{
    /// <summary>The shortest time between two looks at the store by one stream: 250 ms (at most four signature reads a second per
    /// open tab, however often the workspace commits).</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long the stream stays silent before it writes a comment line: 15 s.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapFeedStream(this IEndpointRouteBuilder app)
    {
        app.MapGet("/console/stream", StreamAsync).RequireAuthorization(ConsoleServices.Policy).ExcludeFromDescription();
        return app;
    }

    private static async Task StreamAsync(HttpContext http, LiveFeed feed, RunSignals signals, KeelServerOptions options)
    {
        var workspace = Caller.Of(http).WorkspaceId;
        var cancellationToken = http.RequestAborted;
        var time = options.TimeProvider;
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
                using var watch = signals.Start(workspace, runId: null);
                var signature = await feed.SignatureAsync(workspace, cancellationToken);
                if (last is not null && signature != last)
                {
                    await http.Response.WriteAsync($"event: changed\ndata: {signature}\n\n", cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                    quietSince = time.GetTimestamp();
                }
                else if (time.GetElapsedTime(quietSince) > Heartbeat)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                    quietSince = time.GetTimestamp();
                }

                last = signature;
                var checkedAt = time.GetTimestamp();
                using (var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    // The poll's timer is cancelled as soon as the watch fires, so no delay outlives its turn.
                    await Task.WhenAny(watch.Changed, Task.Delay(options.FeedPollInterval, time, poll.Token));
                    await poll.CancelAsync();
                    cancellationToken.ThrowIfCancellationRequested();
                }

                // A busy workspace commits many times a second: look at most every MinimumInterval, whatever wakes the stream.
                var since = time.GetElapsedTime(checkedAt);
                if (since < MinimumInterval)
                {
                    await Task.Delay(MinimumInterval - since, time, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away.
        }
    }
}
