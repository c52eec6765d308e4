using Keel.Interventions;
using Keel.Server.Access;
using Keel.Server.Runs;
using Keel.Storage;
using Keel.Tenancy;
using ApiContracts = Keel.Sdk.InProcess.ApiContracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Keel.Sdk.Api;

namespace Keel.Server.Interventions;

/// <summary>Live intervention for operators (docs/intervention.md): pause a run (the agent's next replies are held), take it over
/// (the operator writes; the agent's replies are held and its tool calls refused), release it, write as the operator, decide on a
/// held reply (send, edit, replace, discard), and list the held replies. Each change goes through <see cref="Intervener"/>, the code
/// the console's run page calls too.</summary>
internal static class InterventionsApi
{
    public static IEndpointRouteBuilder MapInterventionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/runs/{runId}").WithTags("interventions");
        foreach (var (path, action, name) in new[] { ("/pause", InterventionActions.Pause, "PauseRun"), ("/takeover", InterventionActions.Takeover, "TakeOverRun"), ("/release", InterventionActions.Release, "ReleaseRun") })
        {
            group.MapPost(path, (string runId, InterventionRequest? request, HttpContext http, Intervener intervener) =>
                intervener.ChangeAsync(http, runId, action, request?.Note)).RequireRole(KeelRole.Operator).WithName(name).Produces<ApiIntervention>();
        }

        group.MapPost("/operator-messages", (string runId, OperatorMessageRequest? request, HttpContext http, Intervener intervener) =>
            intervener.WriteAsync(http, runId, request?.Content, request?.Channel))
            .RequireRole(KeelRole.Operator).WithName("WriteOperatorMessage").Produces<OperatorMessageResponse>(StatusCodes.Status201Created);
        group.MapGet("/interventions", ListAsync).RequireRole(KeelRole.Operator).WithName("ListHeldReplies").Produces<HeldReplyList>();
        group.MapPost("/interventions/{interventionId}/decision", (string runId, string interventionId, ReplyDecisionRequest? request, HttpContext http, Intervener intervener) =>
            intervener.DecideAsync(http, runId, interventionId, request?.Decision, request?.Content, request?.Note))
            .RequireRole(KeelRole.Operator).WithName("DecideHeldReply").Produces<ApiHeldReply>();
        return app;
    }

    private static async Task<IResult> ListAsync(string runId, HttpContext http, IRunStore runs, AccessGuard guard)
    {
        var (run, problem) = await RunsApi.FindStoredAsync(runId, http, runs, guard);
        return problem ?? TypedResults.Ok(new HeldReplyList([.. HeldReply.All(run!).Select(r => ApiContracts.ToApi(r))]));
    }
}
