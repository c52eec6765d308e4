using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Keel.Approvals;
using Keel.Model;
using Keel.Risk;
using Keel.Storage;

namespace Keel.Server.Console.Feed;

/// <summary>One run in the live feed: its listing, its risk score with the parts, its tags and pending approvals.</summary>
internal sealed record FeedRow(RunSummary Run, RiskScore Risk, IReadOnlyList<string> Tags, int PendingApprovals);

/// <summary>A page of the live feed, riskiest first, with the values the filters can take.</summary>
internal sealed record FeedPage(IReadOnlyList<FeedRow> Rows, IReadOnlyList<string> Agents, IReadOnlyList<string> Versions, int Matching);

/// <summary>Builds the live feed from paged store queries: the workspace's newest <see cref="ScanLimit"/> run listings (no events),
/// filtered, and the events of at most <see cref="PageSize"/> of them, which the risk score needs. Never loads every run's events, and
/// loads a run's events again only when its listing changed (event count or status): the runs of the last page shown are kept, per
/// workspace, so a reload after one commit reads one run.</summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class LiveFeed(IRunStore runs, IApprovalStore approvals, Keel.Server.Runs.VersionResolver versions, TimeProvider time)
{
    /// <summary>How many run listings (newest first) the feed looks at: 1,000.</summary>
    public const int ScanLimit = 1000;

    /// <summary>How many runs the feed scores and shows: 50.</summary>
    public const int PageSize = 50;

    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, (RunSummary Listing, Run Run)>> _shown = new(StringComparer.Ordinal);

    /// <summary>Loads the feed of a workspace.</summary>
    public async Task<FeedPage> LoadAsync(string workspaceId, FeedFilter filter, CancellationToken cancellationToken = default)
    {
        var listed = await runs.ListRunsAsync(workspaceId, ScanLimit, cancellationToken);

        // The tag filter is the store's (an index on the findings' types): the page holds tagged runs among the newest ScanLimit
        // tagged ones, not only those among the first PageSize listed.
        var candidates = string.IsNullOrEmpty(filter.Tag)
            ? listed
            : (await runs.QueryRunsAsync(workspaceId, new RunQuery { Limit = ScanLimit, Tags = [filter.Tag] }, cancellationToken)).Runs;
        var matching = candidates.Where(filter.Admits).ToList();
        var pending = await PendingByRunAsync(workspaceId, cancellationToken);
        var kept = _shown.GetValueOrDefault(workspaceId);
        var loaded = new Dictionary<string, (RunSummary, Run)>(StringComparer.Ordinal);
        var rows = new List<FeedRow>();
        foreach (var summary in matching.Take(PageSize))
        {
            if (kept is not null && kept.TryGetValue(summary.Id, out var known) && known.Listing == summary)
            {
                loaded[summary.Id] = known;
            }
            else if (await runs.GetRunAsync(workspaceId, summary.Id, cancellationToken) is { } fresh)
            {
                loaded[summary.Id] = (summary, fresh);
            }
            else
            {
                continue;
            }

            var run = loaded[summary.Id].Item2;
            var tags = RunListingValues.Tags(run);
            var waiting = pending.GetValueOrDefault(run.Id);
            // The run's own version sets its budget: a registry version it was served, or the configured bundle.
            var budget = (await versions.ForRunAsync(run, cancellationToken))?.Budgets ?? BudgetLimits.Unlimited;
            rows.Add(new FeedRow(summary, RiskScore.Compute(run, waiting, budget), tags, waiting));
        }

        _shown[workspaceId] = loaded;
        return new FeedPage(
            [.. rows.OrderByDescending(r => r.Risk.Total).ThenByDescending(r => r.Run.StartedAt).ThenBy(r => r.Run.Id, StringComparer.Ordinal)],
            [.. listed.Select(r => r.AgentName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            [.. listed.Select(r => r.AgentVersion).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            matching.Count);
    }

    /// <summary>A fingerprint of what the feed shows: the newest runs' ids, event counts and statuses and the pending approvals.
    /// It changes when any of them changes, which is when the console's stream tells the page to reload the feed.</summary>
    public async Task<string> SignatureAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        var listed = await runs.ListRunsAsync(workspaceId, 200, cancellationToken);
        var pending = await PendingByRunAsync(workspaceId, cancellationToken);
        var text = new StringBuilder();
        foreach (var run in listed)
        {
            text.Append(run.Id).Append(':').Append(run.EventCount).Append(':').Append(run.Status).Append(':').Append(pending.GetValueOrDefault(run.Id)).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private async Task<Dictionary<string, int>> PendingByRunAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return (await approvals.ListAsync(workspaceId, ApprovalStatus.Pending, 1000, cancellationToken))
            .Where(a => a.StatusAt(now) == ApprovalStatus.Pending)
            .GroupBy(a => a.RunId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }
}
