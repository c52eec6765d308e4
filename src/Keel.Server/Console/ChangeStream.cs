using Keel.Server.Interventions;
using Microsoft.AspNetCore.Http;

namespace Keel.Server.Console;

/// <summary>The console's live updates: a server-sent event stream that sends <c>event: changed</c> whenever a signature read from the
/// store changes, and a comment line after 15 s of silence so proxies keep it open. It waits on <see cref="RunSignals"/> (a commit of
/// this process to the watched run, or to any run of the workspace, wakes it at once) and looks at the store every
/// <see cref="KeelServerOptions.FeedPollInterval"/> besides, so a commit by another server instance on the same database shows too.
/// Used by the live feed (<c>/console/stream</c>) and the run page (<c>/console/runs/{id}/stream</c>); htmx's SSE extension reloads the
/// page's part on each <c>changed</c>. The first <c>changed</c> is sent as soon as the stream opens: the page was rendered before its
/// stream connected, and a commit in between would otherwise never show (nor one missed while a dropped stream reconnects).</summary>
internal static class ChangeStream
{
    /// <summary>The shortest time between two looks at the store by one stream: 250 ms (at most four signature reads a second per
    /// open tab, however often the workspace commits).</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long the stream stays silent before it writes a comment line: 15 s.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    /// <summary>Streams <c>changed</c> events until the page goes away.</summary>
    /// <param name="http">The request (its response becomes <c>text/event-stream</c>).</param>
    /// <param name="signals">Wakes the stream on this process's commits.</param>
    /// <param name="options">The clock and <see cref="KeelServerOptions.FeedPollInterval"/>.</param>
    /// <param name="workspaceId">The signed-in workspace.</param>
    /// <param name="runId">The run watched, or <see langword="null"/> for every run of the workspace.</param>
    /// <param name="signature">Reads what the page shows, as a short text that changes when the page would (one line, no newline).</param>
    public static async Task StreamAsync(HttpContext http, RunSignals signals, KeelServerOptions options, string workspaceId, string? runId,
        Func<CancellationToken, Task<string>> signature)
    {
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
                using var watch = signals.Start(workspaceId, runId);
                var current = await signature(cancellationToken);
                if (current != last)
                {
                    await http.Response.WriteAsync($"event: changed\ndata: {current}\n\n", cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                    quietSince = time.GetTimestamp();
                }
                else if (time.GetElapsedTime(quietSince) > Heartbeat)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                    quietSince = time.GetTimestamp();
                }

                last = current;
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
