using Keel.Sdk.Api;

namespace Keel.Mcp.Live;

/// <summary>What a live replay gave: every run in input order, and the counts <c>keel replay-live</c> prints.</summary>
/// <param name="Runs">The replayed runs, in input order.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record LiveReplayResult(IReadOnlyList<LiveReplayedRun> Runs)
{
    /// <summary>Every proposed call, run by run in input order.</summary>
    public IEnumerable<LiveCall> Calls => Runs.SelectMany(r => r.Calls);

    /// <summary>How many tool calls were proposed.</summary>
    public int CallCount => Runs.Sum(r => r.Calls.Count);

    /// <summary>Runs stopped early by an error (<see cref="LiveReplayedRun.Error"/>).</summary>
    public int FailedRuns => Runs.Count(r => !r.Completed);

    /// <summary>Calls that reached the upstream tool (<see cref="LiveCall.ReachedUpstream"/>).</summary>
    public int ReachedUpstream => Runs.Sum(r => r.Calls.Count(c => c.ReachedUpstream));

    /// <summary>Calls that reached the upstream and answered exactly as recorded (<see cref="LiveCall.AnsweredAsRecorded"/>).</summary>
    public int AnsweredAsRecorded => Runs.Sum(r => r.Calls.Count(c => c.AnsweredAsRecorded));

    /// <summary>Calls per decision kind (<see cref="ApiDecisionKinds"/>), least to most restrictive, then any kind this client does not know.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> DecisionsByKind
    {
        get
        {
            string[] order = [ApiDecisionKinds.Allow, ApiDecisionKinds.RequirePlan, ApiDecisionKinds.RequireApproval, ApiDecisionKinds.Escalate, ApiDecisionKinds.Deny];
            return [.. Calls.GroupBy(c => c.Outcome.Decision.Kind, StringComparer.Ordinal)
                .OrderBy(g => Array.IndexOf(order, g.Key) is var i and >= 0 ? i : order.Length)
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => KeyValuePair.Create(g.Key, g.Count()))];
        }
    }
}
