using Keel.Gateway;
using Keel.Interventions;
using Keel.Model;
using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Server.Runs;
using Keel.Storage;
using ApiContracts = Keel.Sdk.InProcess.ApiContracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Keel.Sdk.Api;

namespace Keel.Server.Interventions;

/// <summary>The one way an operator's intervention is applied (docs/intervention.md), for the API (<see cref="InterventionsApi"/>)
/// and the console's run page alike: pause, take over or release a run (<see cref="MessageGate.Apply"/>), write to the customer
/// while the run is taken over, and decide on a held reply (send, edit, replace, discard). Each change is an intervention event
/// committed through the run's lock and <see cref="LiveGateway.CommitAsync"/>, in the run's audit chain with who (the caller's key)
/// and when (the server's clock).</summary>
/// <remarks>Thread-safe. Every method answers the API's result: the JSON answer once committed, or a problem (400 with the JSON
/// path of a bad field, 403/404 for a run the caller's workspace does not hold, 409 when the action does not apply); expected
/// failures are never exceptions.</remarks>
internal sealed class Intervener(LiveGateway gateway, AccessGuard guard, IOptions<JsonOptions> json)
{
    /// <summary>The longest note, characters (2,000).</summary>
    public const int MaxNote = 2000;

    /// <summary>Pauses, takes over or releases the caller's run.</summary>
    /// <param name="http">The request (its caller, idempotency key and cancellation).</param>
    /// <param name="runId">The run.</param>
    /// <param name="action"><see cref="InterventionActions.Pause"/>, <see cref="InterventionActions.Takeover"/> or
    /// <see cref="InterventionActions.Release"/>.</param>
    /// <param name="note">Why, at most <see cref="MaxNote"/> characters; <see langword="null"/> for none.</param>
    /// <returns>200 with an <see cref="ApiIntervention"/>, or a problem (<c>$.note</c> too long, <c>intervention-not-applicable</c>,
    /// the run not found, refused or closed).</returns>
    public async Task<IResult> ChangeAsync(HttpContext http, string runId, string action, string? note)
    {
        if (note is { Length: > MaxNote })
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
            var stored = gateway.AppendIntervention(live, new InterventionEvent(action, key.Name) { KeyId = key.Id, Note = note });
            var (run, statusName) = (live.Run, RunEventJson.EnumName(status));
            gateway.LogAfterCommit(live, l => l.Intervened(run.WorkspaceId, run.Id, action, key.Name, statusName));
            return await RunsApi.CommitAsync(http, gateway, live, null, executed: false, 200,
                new ApiIntervention(runId, action, statusName, stored.Sequence, key.Name, stored.Timestamp, note), json, location: null);
        });
    }

    /// <summary>Writes the operator's message to the customer on a run the caller took over.</summary>
    /// <param name="http">The request.</param>
    /// <param name="runId">The run.</param>
    /// <param name="content">The message; required.</param>
    /// <param name="channel">One of <see cref="LiveRequestRules.MessageChannels"/>, or <see langword="null"/> for the run's own
    /// (<see cref="ReplyGate.ChannelOf"/>).</param>
    /// <returns>201 with an <see cref="OperatorMessageResponse"/>, or a problem (<c>$.content</c>, <c>$.channel</c>,
    /// <c>run-not-taken-over</c>, the run not found, refused or closed).</returns>
    public async Task<IResult> WriteAsync(HttpContext http, string runId, string? content, string? channel)
    {
        if (string.IsNullOrEmpty(content))
        {
            return Problems.Invalid("$.content", "content is required");
        }

        if (channel is not null && !LiveRequestRules.IsMessageChannel(channel))
        {
            return Problems.Invalid("$.channel", $"channel '{channel}' is not one of {LiveRequestRules.MessageChannels}");
        }

        var key = Caller.Of(http).Key;
        return await RunsApi.WithOpenRunAsync(runId, http, gateway, guard, async live =>
        {
            if (live.Run.Status != RunStatus.TakenOver)
            {
                return Problems.Of(409, "run-not-taken-over", "Run not taken over",
                    $"run '{runId}' is {RunEventJson.EnumName(live.Run.Status)}; take it over (POST /v1/runs/{runId}/takeover) before writing to the customer");
            }

            var stored = gateway.AppendMessage(live, new MessageEvent(MessageRole.Operator, content) { Channel = ReplyGate.ChannelOf(live.Run, channel), By = key.Name });
            var run = live.Run;
            gateway.LogAfterCommit(live, l => l.OperatorMessage(run.WorkspaceId, run.Id, key.Name));
            return await RunsApi.CommitAsync(http, gateway, live, null, executed: false, 201, new OperatorMessageResponse(stored.Sequence), json,
                $"/v1/runs/{runId}/events?after={stored.Sequence - 1}");
        });
    }

    /// <summary>Decides on a reply the message gate held: delivers the draft (send), the operator's text as the agent's reply (edit)
    /// or as the operator's message (replace), or nothing (discard).</summary>
    /// <param name="http">The HTTP context.</param>
    /// <param name="runId">The run.</param>
    /// <param name="interventionId">The held reply's id.</param>
    /// <param name="decisionName"><c>send</c>, <c>edit</c>, <c>replace</c> or <c>discard</c>.</param>
    /// <param name="content">The text for edit and replace; <see langword="null"/> for send and discard.</param>
    /// <param name="note">Why, at most <see cref="MaxNote"/> characters; <see langword="null"/> for none.</param>
    /// <returns>200 with the decided <see cref="Keel.Sdk.Api.ApiHeldReply"/>, or a problem (<c>$.decision</c>, <c>$.content</c>, <c>$.note</c>,
    /// no such held reply, <c>reply-decided</c>, the run not found, refused or closed).</returns>
    public async Task<IResult> DecideAsync(HttpContext http, string runId, string interventionId, string? decisionName, string? content, string? note)
    {
        if (!RunEventJson.TryParseEnumName<ReplyDecision>(decisionName ?? string.Empty, out var decision))
        {
            return Problems.Invalid("$.decision", $"decision '{decisionName}' is not one of send, edit, replace, discard");
        }

        var needsText = decision is ReplyDecision.Edit or ReplyDecision.Replace;
        if (needsText && string.IsNullOrEmpty(content))
        {
            return Problems.Invalid("$.content", $"{decisionName} needs the text to deliver in content");
        }

        if (!needsText && content is not null)
        {
            return Problems.Invalid("$.content", $"{decisionName} takes no content: send delivers the draft as it is, discard delivers nothing");
        }

        if (note is { Length: > MaxNote })
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
                _ => content,
            };
            var name = RunEventJson.EnumName(decision);
            var channel = ReplyGate.ChannelOf(live.Run, held.Channel);
            var stored = gateway.AppendIntervention(live, new InterventionEvent(InterventionActions.Decision, key.Name)
            {
                KeyId = key.Id,
                InterventionId = interventionId,
                Decision = name,
                Content = text,
                Channel = channel,
                Note = note,
            });
            if (text is not null)
            {
                // What the customer gets joins the conversation: the agent's reply (send, edit) or the operator's (replace).
                var role = decision == ReplyDecision.Replace ? MessageRole.Operator : MessageRole.Assistant;
                gateway.AppendMessage(live, new MessageEvent(role, text)
                {
                    Channel = channel,
                    By = decision == ReplyDecision.Send ? null : key.Name,
                    InterventionId = interventionId,
                });
            }

            var run = live.Run;
            gateway.LogAfterCommit(live, l => l.ReplyDecided(run.WorkspaceId, run.Id, interventionId, name, key.Name));
            return await RunsApi.CommitAsync(http, gateway, live, null, executed: false, 200, ApiContracts.ToApi(held with { Decision = stored }), json, location: null);
        });
    }
}
