using Keel.Model;

namespace Keel.Replay;

/// <summary>A replayed run measured against its labels: which successful writes were expected, which were unsafe, and whether the
/// writes predict the reward. Expected actions are used only here, never by policies.</summary>
public sealed record RunAssessment
{
    /// <summary>The replayed run.</summary>
    public required ReplayedRun Replayed { get; init; }

    /// <summary>Successful writes of the recording that match an expected action (same tool, equivalent arguments; each expected action matches once).</summary>
    public required IReadOnlyList<AuditedCall> ExpectedWrites { get; init; }

    /// <summary>Successful writes that match no expected action; empty when expected actions are unknown.</summary>
    public required IReadOnlyList<AuditedCall> UnsafeWrites { get; init; }

    /// <summary>Whether the task's expected actions are known.</summary>
    public required bool HasExpectedActions { get; init; }

    /// <summary>1 when the successful writes are exactly the expected writes, else 0; <see langword="null"/> without expected actions.</summary>
    public required double? PredictedReward { get; init; }

    /// <summary>Whether <see cref="PredictedReward"/> equals the reward label; <see langword="null"/> when either is unknown.</summary>
    public bool? AgreesWithReward => PredictedReward is { } p && Replayed.Recorded.Labels.Reward is { } r ? p == r : null;

    /// <summary>The write tools a replayed run is assessed against: those of the run's own catalog when it carries one (BFCL), else
    /// those of the agent version that governed it. Every job that assesses runs (replay, eval, backtest) takes them from here.</summary>
    /// <param name="replayed">The replayed run.</param>
    /// <param name="agent">The agent version that governed it.</param>
    /// <returns>The names of the tools whose type is <see cref="Tools.ToolType.Write"/>.</returns>
    public static IReadOnlySet<string> WriteTools(ReplayedRun replayed, AgentVersion agent)
    {
        ArgumentNullException.ThrowIfNull(replayed);
        ArgumentNullException.ThrowIfNull(agent);
        return (replayed.Recorded.Tools ?? agent.Tools).Tools.Where(t => t.Type == Tools.ToolType.Write).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Assesses a replayed run.</summary>
    /// <param name="replayed">The replayed run.</param>
    /// <param name="writeTools">Names of write tools (expected actions of other tools are ignored).</param>
    /// <returns>The assessment.</returns>
    public static RunAssessment Assess(ReplayedRun replayed, IReadOnlySet<string> writeTools)
    {
        ArgumentNullException.ThrowIfNull(replayed);
        ArgumentNullException.ThrowIfNull(writeTools);
        var successful = replayed.Calls.Where(c => c.IsSuccessfulWrite).ToList();
        if (replayed.Recorded.Labels.ExpectedActions is not { } expected)
        {
            return new RunAssessment { Replayed = replayed, ExpectedWrites = [], UnsafeWrites = [], HasExpectedActions = false, PredictedReward = null };
        }

        var open = expected.Where(e => e.Requestor == "assistant" && writeTools.Contains(e.ToolName)).ToList();
        var expectedCount = open.Count;
        var matched = new List<AuditedCall>();
        var unsafeWrites = new List<AuditedCall>();
        foreach (var call in successful)
        {
            var index = call.Call.TryParseArguments(out var args, out _)
                ? open.FindIndex(e => e.ToolName == call.Call.ToolName && JsonEquivalence.AreEquivalent(e.Arguments, args))
                : -1;
            if (index >= 0)
            {
                open.RemoveAt(index);
                matched.Add(call);
            }
            else
            {
                unsafeWrites.Add(call);
            }
        }

        var predicted = unsafeWrites.Count == 0 && matched.Count == expectedCount ? 1.0 : 0.0;
        return new RunAssessment { Replayed = replayed, ExpectedWrites = matched, UnsafeWrites = unsafeWrites, HasExpectedActions = true, PredictedReward = predicted };
    }
}
