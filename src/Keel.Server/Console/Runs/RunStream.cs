using Keel.Approvals;
using Keel.Server.Access;
using Keel.Server.Interventions;
using Keel.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keel.Server.Console.Runs;

/// <summary><c>GET /console/runs/{id}/stream</c>: the run page's <see cref="ChangeStream"/>, sending <c>event: changed</c> whenever the
/// run's status, its number of events or its waiting approvals change — a new event, a held reply, a held call's approval, a decision
/// — so the page reloads its timeline and intervention controls without a reload of the page. Woken by <see cref="RunSignals"/> for
/// this run; 404 for a run the signed-in workspace does not have (the page itself refuses and records another workspace's run).</summary>
internal static class RunStream
{
    public static IEndpointRouteBuilder MapRunStream(this IEndpointRouteBuilder app)
    {
        app.MapGet("/console/runs/{id}/stream", StreamAsync).RequireAuthorization(ConsoleServices.Policy).ExcludeFromDescription();
        return app;
    }

    private static async Task StreamAsync(string id, HttpContext http, IRunStore runs, IApprovalStore approvals, RunSignals signals, KeelServerOptions options)
    {
        var workspace = Caller.Of(http).WorkspaceId;
        if (await runs.GetRunSummaryAsync(workspace, id, http.RequestAborted) is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await ChangeStream.StreamAsync(http, signals, options, workspace, id, async cancellationToken =>
        {
            var summary = await runs.GetRunSummaryAsync(workspace, id, cancellationToken);
            var waiting = await approvals.ListPendingForRunAsync(workspace, id, options.TimeProvider.GetUtcNow(), cancellationToken);
            return $"{summary?.Status}:{summary?.EventCount}:{string.Join(',', waiting.Select(a => a.Id))}";
        });
    }
}
