using Keel.Interventions;
using Keel.Model;
using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Server.Runs;
using Keel.Storage;
using Keel.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Keel.Server.Interventions;

/// <summary>Live intervention for operators (docs/intervention.md): pause a run (the agent's next replies are held), take it over
/// (the operator writes; the agent's replies are held and its tool calls refused), release it, write as the operator, decide on a
/// held reply (send, edit, replace, discard), and list the held replies. Each change is an intervention event committed through
/// the run's lock and <see cref="LiveGateway.CommitAsync"/>, in the run's audit chain with who and when.</summary>
internal static class InterventionsApi
{
    private const int MaxNote = 2000;

    public static IEndpointRouteBuilder MapInterventionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/runs/{runId}").WithTags("interventions");
        foreach (var (path, action, name) in new[] { ("/pause", InterventionActions.Pause, "PauseRun"), ("/takeover", InterventionActions.Takeover, "TakeOverRun"), ("/release", InterventionActions.Release, "ReleaseRun") })
        {
            group.MapPost(path, (string runId, InterventionRequest? request, HttpContext http, LiveGateway gateway, AccessGuard guard, IOptions<JsonOptions> json) =>
                ChangeAsync(runId, action, request, http, gateway, guard, json)).RequireRole(KeelRole.Operator).WithName(name).Produces<InterventionDto>();
        }

        group.MapPost("/operator-messages", WriteAsync).RequireRole(KeelRole.Operator).WithName("WriteOperatorMessage").Produces<OperatorMessageResponse>(StatusCodes.Status201Created);
        group.MapGet("/interventions", ListAsync).RequireRole(KeelRole.Operator).WithName("ListHeldReplies").Produces<HeldReplyListDto>();
        group.MapPost("/interventions/{interventionId}/decision", DecideAsync).RequireRole(KeelRole.Operator).WithName("DecideHeldReply").Produces<HeldReplyDto>();
        return app;
    }

    private static async Task<IResult> ChangeAsync(string runId, string action, InterventionRequest? request, HttpContext http, LiveGateway gateway, AccessGuard guard, IOptions<JsonOptions> json)
    {
        if (request?.Note is { Length: > MaxNote })
        {
            return Problems.Invalid("$.note", "a note has at most 2,000 characters");
        }

        var key = Caller.Of(http).Key;
        return await RunsApi.WithOpenRunAsync(runId, http, gateway, guard, async live =>
        {
            var (next, refusal) = MessageGate.Apply(live.Run.Status, action);
            if (next is not { } status)
            {
                return Problems.Of(409, "intervention-not-applicable", "Intervention not applicable", $"run '{runId}': {refusal}");
            }

            live.Run.Status = status;
            var stored = gateway.AppendIntervention(live, new InterventionEvent(action, key.Name) { KeyId = key.Id, Note = request?.Note });
            var (run, statusName) = (live.Run, RunEventJson.EnumName(status));
            gateway.LogAfterCommit(live, l => l.Intervened(run.WorkspaceId, run.Id, action, key.Name, statusName));
            return await RunsApi.CommitAsync(http, gateway, live, null, executed: false, 200,
                new InterventionDto(runId, action, statusName, stored.Sequence, key.Name, stored.Timestamp, request?.Note), json, location: null);
        });
    }

    private static async Task<IResult> WriteAsync(string runId, OperatorMessageRequest? request, HttpContext http, LiveGateway gateway, AccessGuard guard, IOptions<JsonOptions> json)
    {
        if (string.IsNullOrEmpty(request?.Content))
        {
            return Problems.Invalid("$.content", "content is required");
        }

        if (request.Channel is { } channel && !ReplyGate.IsChannel(channel))
        {
            return Problems.Invalid("$.channel", $"channel '{channel}' is not one of {ReplyGate.Channels}");
        }

        var key = Caller.Of(http).Key;
        return await RunsApi.WithOpenRunAsync(runId, http, gateway, guard, async live =>
        {
            if (live.Run.Status != RunStatus.TakenOver)
            {
                return Problems.Of(409, "run-not-taken-over", "Run not taken over",
                    $"run '{runId}' is {RunEventJson.EnumName(live.Run.Status)}; take it over (POST /v1/runs/{runId}/takeover) before writing to the customer");
            }

            var stored = gateway.AppendMessage(live, new MessageEvent(MessageRole.Operator, request.Content) { Channel = request.Channel, By = key.Name });
            var run = live.Run;
            gateway.LogAfterCommit(live, l => l.OperatorMessage(run.WorkspaceId, run.Id, key.Name));
            return await RunsApi.CommitAsync(http, gateway, live, null, executed: false, 201, new OperatorMessageResponse(stored.Sequence), json,
                $"/v1/runs/{runId}/events?after={stored.Sequence - 1}");
        });
    }

    private static async Task<IResult> ListAsync(string runId, HttpContext http, IRunStore runs, AccessGuard guard)
    {
        var (run, problem) = await RunsApi.FindStoredAsync(runId, http, runs, guard);
        return problem ?? TypedResults.Ok(new HeldReplyListDto([.. HeldReply.All(run!).Select(HeldReplyDto.From)]));
    }

    private static async Task<IResult> DecideAsync(string runId, string interventionId, ReplyDecisionRequest? request, HttpContext http, LiveGateway gateway, AccessGuard guard,
        IOptions<JsonOptions> json)
    {
        if (request is null || !RunEventJson.TryParseEnumName<ReplyDecision>(request.Decision ?? string.Empty, out var decision))
        {
            return Problems.Invalid("$.decision", $"decision '{request?.Decision}' is not one of send, edit, replace, discard");
        }

        var needsText = decision is ReplyDecision.Edit or ReplyDecision.Replace;
        if (needsText && string.IsNullOrEmpty(request.Content))
        {
            return Problems.Invalid("$.content", $"{request.Decision} needs the text to deliver in content");
        }

        if (!needsText && request.Content is not null)
        {
            return Problems.Invalid("$.content", $"{request.Decision} takes no content: send delivers the draft as it is, discard delivers nothing");
        }

        if (request.Note is { Length: > MaxNote })
        {
            return Problems.Invalid("$.note", "a note has at most 2,000 characters");
        }

        var key = Caller.Of(http).Key;
        return await RunsApi.WithOpenRunAsync(runId, http, gateway, guard, async live =>
        {
            if (HeldReply.Find(live.Run, interventionId) is not { } held)
            {
                return Problems.NotFound("held reply", interventionId);
            }

            if (held.Decision is { } earlier)
            {
                return Problems.Of(409, "reply-decided", "Reply already decided",
                    $"held reply '{interventionId}' was decided ({earlier.Decision}) by {earlier.Operator} at {earlier.Timestamp:O}");
            }

            var text = decision switch
            {
                ReplyDecision.Send => held.Draft,
                ReplyDecision.Discard => null,
                _ => request.Content,
            };
            var name = RunEventJson.EnumName(decision);
            var stored = gateway.AppendIntervention(live, new InterventionEvent(InterventionActions.Decision, key.Name)
            {
                KeyId = key.Id,
                InterventionId = interventionId,
                Decision = name,
                Content = text,
                Channel = held.Channel,
                Note = request.Note,
            });
            if (text is not null)
            {
                // What the customer gets joins the conversation: the agent's reply (send, edit) or the operator's (replace).
                var role = decision == ReplyDecision.Replace ? MessageRole.Operator : MessageRole.Assistant;
                gateway.AppendMessage(live, new MessageEvent(role, text)
                {
                    Channel = held.Channel,
                    By = decision == ReplyDecision.Send ? null : key.Name,
                    InterventionId = interventionId,
                });
            }

            var run = live.Run;
            gateway.LogAfterCommit(live, l => l.ReplyDecided(run.WorkspaceId, run.Id, interventionId, name, key.Name));
            return await RunsApi.CommitAsync(http, gateway, live, null, executed: false, 200, HeldReplyDto.From(held with { Decision = stored }), json, location: null);
        });
    }
}
