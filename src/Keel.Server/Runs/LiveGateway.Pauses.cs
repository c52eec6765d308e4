using System.Collections.Concurrent;
using Keel.Approvals;
using Keel.Diagnostics;
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
    /// <summary>The approvals this process watches for expiry, by id: their run and when they expire, for
    /// <see cref="EndExpiredApprovalsAsync"/>. Added once an approval this process asked for is stored, or a run paused by one is loaded;
    /// removed at expiry (<see cref="ExpiryWatch.Logged"/>: the expiry's console line is written, the pause still to end).</summary>
    private readonly ConcurrentDictionary<string, ExpiryWatch> _waitingApprovals = new(StringComparer.Ordinal);

    /// <summary>Watches an approval for expiry (<see cref="EndExpiredApprovalsAsync"/>).</summary>
    private void WatchExpiry(Approval approval) =>
        _waitingApprovals.TryAdd(approval.Id, new ExpiryWatch(approval.WorkspaceId, approval.RunId, approval.ExpiresAt, Logged: false));

    /// <summary>When the agent version asks for it, turns a run that just went to awaiting approval into a paused one, with a pause
    /// event whose actor is the approval. Called under the run's lock; stored by the request's commit.</summary>
    private void PauseForApproval(LiveRun live, Approval approval)
    {
        if (!live.Agent.Handoff.PauseOnApproval || live.Run.Status != RunStatus.AwaitingApproval)
        {
            return;
        }

        live.Run.Status = RunStatus.Paused;
        AppendApprovalPause(live, approval);
    }

    private void AppendApprovalPause(LiveRun live, Approval approval)
    {
        AppendIntervention(live, new InterventionEvent(InterventionActions.Pause, EscalationActors.Approval(approval.Id)) { Note = "a tool call waits for this approval" });
        live.AfterCommit.Add(() => WatchExpiry(approval));
    }

    /// <summary>Ends the pause an approval put on its run (<see cref="HandoffOptions.PauseOnApproval"/>) once the approval is no
    /// longer pending — granted, denied or expired — as <see cref="EndSettledApprovalPauseAsync"/> does, and commits it.</summary>
    /// <param name="workspaceId">The run's workspace.</param>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the wait for the run's lock and the commit.</param>
    /// <returns>Whether the run's pause changed (released, or taken over by its next waiting approval).</returns>
    /// <exception cref="StoreException">The store could not be read or written.</exception>
    /// <exception cref="RunBusyException">The run stayed busy longer than <see cref="KeelServerOptions.LongestToolCall"/>.</exception>
    public async Task<bool> EndApprovalPauseAsync(string workspaceId, string runId, CancellationToken cancellationToken)
    {
        // Only a paused run can hold an approval's pause: the listing line answers that without the run's lock or its events.
        if (await runs.GetRunSummaryAsync(workspaceId, runId, cancellationToken) is not { Status: RunStatus.Paused })
        {
            return false;
        }

        var live = await AcquireAsync(workspaceId, runId, cancellationToken);
        if (live is null)
        {
            return false;
        }

        try
        {
            if (!await EndSettledApprovalPauseAsync(live, cancellationToken))
            {
                return false;
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

    /// <summary>Under the run's lock: when the run is paused by an approval (its latest pause, takeover or release) that is no longer
    /// pending, ends that pause — the run goes back to active with a release event by the approval, unless another approval of the
    /// run still waits, which then takes the pause over (a pause event by that approval; the run stays paused). An operator's pause,
    /// takeover or release since the approval's pause outranks it: nothing happens. Called by the message gate before it decides a
    /// reply, so a reply gated after the decision was stored is never held by the decided approval's pause; stored by the caller's
    /// commit.</summary>
    /// <param name="live">The run, locked.</param>
    /// <param name="cancellationToken">Cancels the store's reads.</param>
    /// <returns>Whether events were appended.</returns>
    /// <exception cref="StoreException">The store could not be read.</exception>
    public async Task<bool> EndSettledApprovalPauseAsync(LiveRun live, CancellationToken cancellationToken)
    {
        var run = live.Run;
        if (run.Status != RunStatus.Paused || ApprovalPausing(run) is not { } approvalId)
        {
            return false;
        }

        var now = _time.GetUtcNow();
        var approval = await approvals.GetAsync(run.WorkspaceId, approvalId, cancellationToken);
        var status = approval?.StatusAt(now) ?? ApprovalStatus.Expired;
        if (status == ApprovalStatus.Pending)
        {
            return false;
        }

        var actor = EscalationActors.Approval(approvalId);
        var pending = await approvals.ListPendingForRunAsync(run.WorkspaceId, run.Id, now, cancellationToken);
        if (pending.FirstOrDefault(a => a.Id != approvalId) is { } next)
        {
            // Another held call of the run still waits: its approval takes the pause over, so replies stay held until it is decided.
            // Its console line is written by LogMonitorEvents, as for every pause Keel makes.
            AppendApprovalPause(live, next);
        }
        else
        {
            run.Status = RunStatus.Active;
            AppendIntervention(live, new InterventionEvent(InterventionActions.Release, actor) { Note = $"approval {RunEventJson.EnumName(status)}" });
            LogAfterCommit(live, l => l.Intervened(run.WorkspaceId, run.Id, InterventionActions.Release, actor, RunEventJson.EnumName(RunStatus.Active)));
        }

        return true;
    }

    /// <summary>Writes the console line of each watched approval that expired undecided and ends its pause the same way a decision
    /// does (<see cref="ApprovalPauseExpiry"/>, every second). A run whose pause changed meanwhile (an operator's release, takeover) is
    /// left alone.</summary>
    /// <param name="cancellationToken">Stops the round.</param>
    public async Task EndExpiredApprovalsAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var (id, watch) in _waitingApprovals)
        {
            if (now < watch.ExpiresAt || !_waitingApprovals.TryRemove(KeyValuePair.Create(id, watch)))
            {
                continue;
            }

            var logged = watch.Logged;
            try
            {
                if (!logged && await approvals.GetAsync(watch.Workspace, id, cancellationToken) is { Status: ApprovalStatus.Pending } approval)
                {
                    logger.ApprovalExpired(id, watch.Workspace, watch.Run, approval.ToolName, approval.CallId);
                    KeelDiagnostics.ApprovalResolved(approval.ToolName);
                }

                logged = true;
                await EndApprovalPauseAsync(watch.Workspace, watch.Run, cancellationToken);
            }
            catch (Exception ex) when (ex is RunBusyException or StoreException)
            {
                // Tried again next round; the run's next reply ends the pause too (EndSettledApprovalPauseAsync).
                _waitingApprovals.TryAdd(id, watch with { Logged = logged });
                logger.ApprovalPauseNotEnded(id, watch.Run, ex.Message);
            }
        }
    }

    /// <summary>Watches the approval pause of a run loaded from the store, so that its expiry ends it in this process too.</summary>
    private async Task WatchApprovalPauseAsync(Run run)
    {
        if (run.Status == RunStatus.Paused && ApprovalPausing(run) is { } approvalId
            && await approvals.GetAsync(run.WorkspaceId, approvalId) is { } approval)
        {
            WatchExpiry(approval);
        }
    }

    /// <summary>The id of the approval whose pause is the run's latest pause, takeover or release; <see langword="null"/> when that is
    /// none, an operator's, or a rule's.</summary>
    private static string? ApprovalPausing(Run run) =>
        LastHold(run) is { Action: InterventionActions.Pause } hold && hold.Operator.StartsWith(EscalationActors.ApprovalPrefix, StringComparison.Ordinal)
            ? hold.Operator[EscalationActors.ApprovalPrefix.Length..]
            : null;

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

    /// <summary>An approval watched for expiry: its run, when it expires, whether its expiry was already written on the console.</summary>
    private sealed record ExpiryWatch(string Workspace, string Run, DateTimeOffset ExpiresAt, bool Logged);
}
