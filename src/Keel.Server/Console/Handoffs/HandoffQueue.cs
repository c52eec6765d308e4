using Keel.Model;
using Keel.Server.Hosting;
using Keel.Server.Interventions;
using Keel.Storage;
using Microsoft.Extensions.Logging;

namespace Keel.Server.Console.Handoffs;

/// <summary>One handed-off or safely stopped run with its handoff packet and who claimed or resolved it.</summary>
/// <param name="Run">The run.</param>
/// <param name="Packet">Its handoff packet.</param>
/// <param name="ClaimedBy">The operator who claimed it last, or <see langword="null"/>.</param>
/// <param name="ResolvedBy">The operator who resolved it, or <see langword="null"/>.</param>
internal sealed record HandoffItem(Run Run, HandoffPacket Packet, string? ClaimedBy, string? ResolvedBy);

/// <summary>The handoff queue: runs that ended handed off (an escalation) or safely stopped, newest first, with their packets.
/// Claiming and resolving are recorded as <see cref="InterventionEvent"/>s (<see cref="Claimed"/>, <see cref="Resolved"/>) on the
/// run itself through <see cref="ILiveRunStore.CommitAsync"/>: they land in the run's hash chain and the audit ledger with who and
/// when, need no new table, and two operators claiming at once are told apart by the store's optimistic head check.</summary>
internal sealed class HandoffQueue(IRunStore runs, ILiveRunStore live, TimeProvider time, RunSignals signals, ILogger<HandoffQueue> logger)
{
    /// <summary>The intervention action of a claim.</summary>
    public const string Claimed = "handoff_claimed";

    /// <summary>The intervention action of a resolution.</summary>
    public const string Resolved = "handoff_resolved";

    /// <summary>How many runs the queue shows: 50; it looks at the newest 1,000 run listings.</summary>
    public const int PageSize = 50;

    /// <summary>Loads the queue; resolved runs are left out unless <paramref name="includeResolved"/>.</summary>
    public async Task<IReadOnlyList<HandoffItem>> LoadAsync(string workspaceId, bool includeResolved, CancellationToken cancellationToken = default)
    {
        var items = new List<HandoffItem>();
        foreach (var summary in (await runs.ListRunsAsync(workspaceId, 1000, cancellationToken)).Where(r => r.Status is RunStatus.HandedOff or RunStatus.Stopped))
        {
            if (items.Count == PageSize)
            {
                break;
            }

            if (await runs.GetRunAsync(workspaceId, summary.Id, cancellationToken) is { Handoff: { } packet } run
                && Item(run, packet) is var item && (includeResolved || item.ResolvedBy is null))
            {
                items.Add(item);
            }
        }

        return items;
    }

    /// <summary>Records a claim or resolution by <paramref name="operatorName"/>.</summary>
    /// <returns><see langword="null"/> when recorded, else why not (no such run, not a handoff, already resolved, changed meanwhile).</returns>
    public async Task<string?> RecordAsync(string workspaceId, string runId, string action, string operatorName, CancellationToken cancellationToken = default)
    {
        if (await runs.GetRunAsync(workspaceId, runId, cancellationToken) is not { } run)
        {
            return $"run '{runId}' is not in this workspace";
        }

        if (run.Handoff is not { } packet)
        {
            return $"run '{runId}' has no handoff packet";
        }

        var item = Item(run, packet);
        if (item.ResolvedBy is not null)
        {
            return $"run '{runId}' was resolved by {item.ResolvedBy}";
        }

        var head = run.Events.Count == 0 ? 0 : run.Events[^1].Sequence;
        run.Append(new InterventionEvent(action, operatorName) { Timestamp = time.GetUtcNow() });
        if (await live.CommitAsync(new RunCommit(run, head), cancellationToken) != RunCommitStatus.Committed)
        {
            return $"run '{runId}' changed while this was recorded; reload and try again";
        }

        logger.Intervened(workspaceId, runId, action, operatorName, RunEventJson.EnumName(run.Status));
        signals.Notify(run.WorkspaceId, run.Id);
        return null;
    }

    private static HandoffItem Item(Run run, HandoffPacket packet)
    {
        var interventions = run.Events.OfType<InterventionEvent>().ToList();
        return new HandoffItem(run, packet,
            interventions.LastOrDefault(e => e.Action == Claimed)?.Operator,
            interventions.LastOrDefault(e => e.Action == Resolved)?.Operator);
    }
}
