using Keel.Server.Access;
using Keel.Server.Interventions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keel.Server.Console.Feed;

/// <summary><c>GET /console/stream</c>: the live feed's <see cref="ChangeStream"/>, sending <c>event: changed</c> whenever the signed-in
/// workspace's feed changes (<see cref="LiveFeed.SignatureAsync"/>); the page's htmx SSE extension then reloads the feed's rows.</summary>
internal static class FeedStream
{
    public static IEndpointRouteBuilder MapFeedStream(this IEndpointRouteBuilder app)
    {
        app.MapGet("/console/stream", StreamAsync).RequireAuthorization(ConsoleServices.Policy).ExcludeFromDescription();
        return app;
    }

    private static Task StreamAsync(HttpContext http, LiveFeed feed, RunSignals signals, KeelServerOptions options)
    {
        var workspace = Caller.Of(http).WorkspaceId;
        return ChangeStream.StreamAsync(http, signals, options, workspace, runId: null, cancellationToken => feed.SignatureAsync(workspace, cancellationToken));
    }
}
