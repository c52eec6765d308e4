using Keel.Approvals;
using Keel.Model;
using Keel.Storage;

namespace Keel.Server.Console.Overview;

/// <summary>The figures of one agent version over the runs looked at.</summary>
/// <param name="Agent">Agent name.</param>
/// <param name="Version">Agent version.</param>
/// <param name="Runs">Runs looked at.</param>
/// <param name="Ended">Runs that ended (completed, failed, handed off or stopped).</param>
/// <param name="SuccessRate">Completed ÷ ended, 0–1; <see langword="null"/> when none ended (unknown).</param>
/// <param name="HandoffRate">Handed off or stopped ÷ ended, 0–1; <see langword="null"/> when none ended.</param>
/// <param name="P95LatencyMs">95th percentile (nearest rank) of the tool calls' execution time in ms; <see langword="null"/> without calls.</param>
/// <param name="ToolCalls">Tool calls executed (execution attempts counted once per call).</param>
/// <param name="ApprovalsRequested">Approvals its runs asked for.</param>
/// <param name="ApprovalsGranted">Of those, granted or used.</param>
/// <param name="ApprovalsDenied">Of those, denied.</param>
/// <param name="TopTags">Its most frequent finding and tag types with their counts, at most 5.</param>
internal sealed record AgentFigures(string Agent, string Version, int Runs, int Ended, double? SuccessRate, double? HandoffRate, double? P95LatencyMs,
    int ToolCalls, int ApprovalsRequested, int ApprovalsGranted, int ApprovalsDenied, IReadOnlyList<(string Tag, int Count)> TopTags);

/// <summary>The overview page's figures per agent and version, over the workspace's newest <see cref="RunLimit"/> runs (their
/// events are needed for latencies and tags, so the sample is bounded) and its newest 1,000 approvals.</summary>
internal sealed class AgentOverview(IRunStore runs, IApprovalStore approvals)
{
    /// <summary>How many of the newest runs the overview reads: 200.</summary>
    public const int RunLimit = 200;

    /// <summary>Computes the figures, one row per agent version, by agent then version.</summary>
    public async Task<IReadOnlyList<AgentFigures>> LoadAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        var loaded = new List<Run>();
        foreach (var summary in await runs.ListRunsAsync(workspaceId, RunLimit, cancellationToken))
        {
            if (await runs.GetRunAsync(workspaceId, summary.Id, cancellationToken) is { } run)
            {
                loaded.Add(run);
            }
        }

        var runAgent = loaded.ToDictionary(r => r.Id, r => (r.AgentName, r.AgentVersion), StringComparer.Ordinal);
        var asked = (await approvals.ListAsync(workspaceId, null, 1000, cancellationToken)).Where(a => runAgent.ContainsKey(a.RunId)).ToList();
        return [.. loaded.GroupBy(r => (r.AgentName, r.AgentVersion)).OrderBy(g => g.Key.AgentName, StringComparer.Ordinal).ThenBy(g => g.Key.AgentVersion, StringComparer.Ordinal)
            .Select(g => Figures(g.Key.AgentName, g.Key.AgentVersion, [.. g], [.. asked.Where(a => runAgent[a.RunId] == g.Key)]))];
    }

    /// <summary>The nearest-rank percentile of <paramref name="values"/> (unsorted), or <see langword="null"/> when empty.</summary>
    public static double? Percentile(IReadOnlyList<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static AgentFigures Figures(string agent, string version, List<Run> group, List<Approval> asked)
    {
        var ended = group.Count(r => r.Status is RunStatus.Completed or RunStatus.Failed or RunStatus.HandedOff or RunStatus.Stopped);
        var completed = group.Count(r => r.Status == RunStatus.Completed);
        var handedOff = group.Count(r => r.Status is RunStatus.HandedOff or RunStatus.Stopped);

        // A call's time is its last attempt's; recorded (replayed) runs carry the tool result's latency instead.
        var latencies = group.SelectMany(r =>
        {
            var executions = r.Events.OfType<ExecutionEvent>().GroupBy(e => e.CallId).Select(c => c.Last().DurationMs).ToList();
            return executions.Count > 0 ? executions : r.Events.OfType<ToolResultEvent>().Where(t => t.Result.LatencyMs > 0).Select(t => t.Result.LatencyMs);
        }).ToList();
        var tags = group.SelectMany(r => r.Events.OfType<FindingEvent>()).GroupBy(e => e.Finding.Type, StringComparer.Ordinal)
            .Select(t => (t.Key, t.Count())).OrderByDescending(t => t.Item2).ThenBy(t => t.Key, StringComparer.Ordinal).Take(5).ToList();
        return new AgentFigures(agent, version, group.Count, ended,
            ended == 0 ? null : (double)completed / ended,
            ended == 0 ? null : (double)handedOff / ended,
            Percentile(latencies, 95), latencies.Count,
            asked.Count, asked.Count(a => a.Status is ApprovalStatus.Granted or ApprovalStatus.Used), asked.Count(a => a.Status == ApprovalStatus.Denied),
            tags);
    }
}
