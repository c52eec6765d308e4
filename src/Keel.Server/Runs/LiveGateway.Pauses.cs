using Keel.Approvals;
using Keel.Interventions;
using Keel.Model;
using Keel.Server.Hosting;
using Keel.Storage;
using Microsoft.Extensions.Logging;

namespace Keel.Server.Runs;

/// <summary>The interventions Keel makes by itself (docs/intervention.md): a held call pauses the run's replies while its approval
/// waits (<see cref="HandoffOptions.PauseOnApproval"/>) and the decision ends that pause; the console lines of the handoffs and pauses
/// the monitors (escalation rules) decide.</summary>
internal sealed partial class LiveGateway
{
    /// <summary>When the agent version asks for it, turns a run that just went to awaiting approval into a paused one, with a pause
    /// event whose actor is the approval. Called under the run's lock; stored by the request's commit.</summary>
    private void PauseForApproval(LiveRun live, string approvalId)
    {
        if (!live.Agent.Handoff.PauseOnApproval || live.Run.Status != RunStatus.AwaitingApproval)
        {
            return;
        }

        live.Run.Status = RunStatus.Paused;
        var actor = EscalationActors.Approval(approvalId);
        AppendIntervention(live, new InterventionEvent(InterventionActions.Pause, actor) { Note = "a tool call waits for this approval" });
    }

    /// <summary>Ends the pause an approval put on its run (<see cref="HandoffOptions.PauseOnApproval"/>) once the approval is granted or
    /// denied: the run goes back to active with a release event by the approval — unless another approval of the run still waits, which
    /// then takes the pause over (a pause event by that approval; the run stays paused). Nothing happens when the run is not paused by this
    /// approval — an operator's pause, takeover or release since outranks it.</summary>
    /// <param name="approval">The decided approval.</param>
    /// <param name="cancellationToken">Cancels the wait for the run's lock and the commit.</param>
    /// <returns>Whether the run was released.</returns>
    /// <exception cref="StoreException">The store could not be read or written.</exception>
    /// <exception cref="RunBusyException">The run stayed busy longer than <see cref="KeelServerOptions.LongestToolCall"/>.</exception>
    public async Task<bool> EndApprovalPauseAsync(Approval approval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        if (options.Agents.All(a => !a.Handoff.PauseOnApproval))
        {
            return false;
        }

        var live = await AcquireAsync(approval.WorkspaceId, approval.RunId, cancellationToken);
        if (live is null)
        {
            return false;
        }

        try
        {
            var actor = EscalationActors.Approval(approval.Id);
            if (live.Run.Status != RunStatus.Paused || LastHold(live.Run)?.Operator != actor)
            {
                return false;
            }

            var run = live.Run;
            var pending = await approvals.ListAsync(run.WorkspaceId, ApprovalStatus.Pending, limit: 1_000, cancellationToken);
            if (pending.FirstOrDefault(a => a.RunId == run.Id && a.Id != approval.Id && a.StatusAt(_time.GetUtcNow()) == ApprovalStatus.Pending) is { } next)
            {
                // Another held call of the run still waits: its approval takes the pause over, so replies stay held until it is decided.
                var nextActor = EscalationActors.Approval(next.Id);
                AppendIntervention(live, new InterventionEvent(InterventionActions.Pause, nextActor) { Note = "a tool call waits for this approval" });
                LogAfterCommit(live, l => l.Intervened(run.WorkspaceId, run.Id, InterventionActions.Pause, nextActor, RunEventJson.EnumName(RunStatus.Paused)));
            }
            else
            {
                run.Status = RunStatus.Active;
                AppendIntervention(live, new InterventionEvent(InterventionActions.Release, actor) { Note = $"approval {RunEventJson.EnumName(approval.Status)}" });
                LogAfterCommit(live, l => l.Intervened(run.WorkspaceId, run.Id, InterventionActions.Release, actor, RunEventJson.EnumName(RunStatus.Active)));
            }

            var result = await CommitAsync(live, null, executed: false, new StoredResponse(204, null, []), null, cancellationToken);
            return result == CommitResult.Committed;
        }
        catch
        {
            if (live.Pending is null)
            {
                Evict(live);
            }

            throw;
        }
        finally
        {
            Release(live);
        }
    }

    /// <summary>The run's latest pause, takeover or release: who holds its replies now.</summary>
    private static InterventionEvent? LastHold(Run run)
    {
        for (var i = run.Events.Count - 1; i >= 0; i--)
        {
            if (run.Events[i] is InterventionEvent { Action: InterventionActions.Pause or InterventionActions.Takeover or InterventionActions.Release } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The console lines of what Keel decided by itself among the run's events after <paramref name="from"/>: each pause by
    /// an escalation rule or an approval, and each handoff.</summary>
    private void LogMonitorEvents(Run run, long from)
    {
        var first = run.Events.Count;
        while (first > 0 && run.Events[first - 1].Sequence > from)
        {
            first--;
        }

        for (var i = first; i < run.Events.Count; i++)
        {
            switch (run.Events[i])
            {
                case InterventionEvent { Action: InterventionActions.Pause } pause when EscalationActors.IsAutomatic(pause.Operator):
                    logger.Intervened(run.WorkspaceId, run.Id, pause.Action, pause.Operator, RunEventJson.EnumName(RunStatus.Paused));
                    break;
                case HandoffEvent handoff:
                    logger.HandedOff(run.WorkspaceId, run.Id, handoff.Packet.TargetTeam, handoff.Packet.Priority, handoff.Packet.Rule ?? "transfer");
                    break;
            }
        }
    }
}
