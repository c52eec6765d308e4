using System.Security.Cryptography;
using Keel.Gateway;
using Keel.Interventions;
using Keel.Model;
using Keel.Server.Hosting;
using Keel.Server.Runs;
using Keel.Storage;
using Keel.Tenancy;
using AppendMessageResponse = Keel.Sdk.Api.AppendMessageResponse;

namespace Keel.Server.Interventions;

/// <summary>The message gate on <c>POST /v1/runs/{id}/messages</c>: an assistant reply to a run that is paused or taken over is
/// held — recorded as a <c>hold</c> intervention carrying the draft, not as a message of the conversation — and answered
/// <c>held</c> with an intervention id; every other message is recorded and answered <c>deliver</c> (docs/intervention.md).</summary>
internal static class ReplyGate
{
    /// <summary>The channel a held reply, a decision or an operator's message is recorded with (metadata: nothing decides on it): the
    /// one named with it, else the run's own channel (<see cref="Run.Channel"/>, set when the run was opened) when that is one of
    /// <see cref="LiveRequestRules.MessageChannels"/>, else none (a run ingested or replayed has no customer channel).</summary>
    /// <param name="run">The run.</param>
    /// <param name="named">The channel named with the request, or <see langword="null"/>.</param>
    /// <returns>The channel, or <see langword="null"/>.</returns>
    public static string? ChannelOf(Run run, string? named) => named ?? (LiveRequestRules.IsMessageChannel(run.Channel) ? run.Channel : null);

    /// <summary>Appends the message or holds the reply; called under the run's lock, before the request's commit.</summary>
    /// <param name="gateway">The gateway (clock, appends).</param>
    /// <param name="live">The run, locked.</param>
    /// <param name="key">The agent's key (who, for a hold).</param>
    /// <param name="role">The message's role (never operator).</param>
    /// <param name="content">The text.</param>
    /// <param name="channel">The channel, when named.</param>
    /// <param name="usage">The model usage reported with the message, stored on its event; <see langword="null"/> for none. A held
    /// reply's usage is counted in the budgets but not stored on the hold.</param>
    /// <returns>The answer to commit with the change.</returns>
    public static AppendMessageResponse Append(LiveGateway gateway, LiveRun live, ApiKey key, MessageRole role, string content, string? channel, MessageUsage? usage = null)
    {
        var status = live.Run.Status;
        if (role == MessageRole.Assistant && MessageGate.Holds(status))
        {
            var id = "int_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var hold = gateway.AppendIntervention(live, new InterventionEvent(InterventionActions.Hold, key.Name)
            {
                KeyId = key.Id,
                InterventionId = id,
                Content = content,
                Channel = ChannelOf(live.Run, channel),
            });
            var run = live.Run;
            gateway.LogAfterCommit(live, l => l.ReplyHeld(run.WorkspaceId, run.Id, id, RunEventJson.EnumName(status)));
            return new AppendMessageResponse(hold.Sequence, "held", id, RunEventJson.EnumName(status));
        }

        var stored = gateway.AppendMessage(live, new MessageEvent(role, content) { Channel = channel, Usage = usage });
        return new AppendMessageResponse(stored.Sequence, "deliver", null, RunEventJson.EnumName(status));
    }
}
