using System.Runtime.CompilerServices;
using Keel.Model;
using Keel.Monitors;

namespace Keel.Storage;

/// <summary>What a run listing is filtered on (<see cref="RunQuery"/>) or summed over (<see cref="Versions.VersionFigures"/>), computed
/// from the run in one place for every store: its tags, the customer's sentiment (docs/gateway-api.md, "filtering runs") and its model
/// cost.</summary>
/// <remarks>Thread-safe. The stores compute the values when they write a run (a replay's save, each live commit), so the
/// listing always carries the values of the events stored with it.</remarks>
public static class RunListingValues
{
    private static readonly ConditionalWeakTable<Run, Scored> s_lastScored = new();

    /// <summary>The run's tags: the distinct types of its findings (the <see cref="TagTypes"/> vocabulary — topic, outcome, sentiment,
    /// repeated question, … — and the other monitors' finding types, e.g. <c>claim_result_mismatch</c>), in ordinal order. The same
    /// set the console's feed shows.</summary>
    /// <param name="run">The run.</param>
    /// <returns>The tags, ordinal order, no duplicates; empty for a run without findings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<string> Tags(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return [.. run.Events.OfType<FindingEvent>().Select(e => e.Finding.Type).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>The customer's current sentiment: the VADER compound score, in [−1, 1], of the run's last customer (<c>user</c>)
    /// message, scored as <see cref="SentimentMonitor.Compound"/> scores it (the mean over its sentences; 0 for a message with no
    /// words). The last message, not the mean or the minimum: "sentiment below x" asks how the customer feels now.</summary>
    /// <param name="run">The run.</param>
    /// <returns>The compound score, or <see langword="null"/> for a run without customer messages.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is <see langword="null"/>.</exception>
    /// <remarks>A live run is scored again on each commit only when its last customer message changed: the last score is kept
    /// with the run object.</remarks>
    public static double? CustomerSentiment(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        for (var i = run.Events.Count - 1; i >= 0; i--)
        {
            if (run.Events[i] is MessageEvent { Role: MessageRole.User } message)
            {
                if (s_lastScored.TryGetValue(run, out var known) && known.Sequence == message.Sequence)
                {
                    return known.Compound;
                }

                var compound = SentimentMonitor.Shared.Compound(message.Content);
                s_lastScored.AddOrUpdate(run, new Scored(message.Sequence, compound));
                return compound;
            }
        }

        return null;
    }

    /// <summary>The model cost the run's messages reported (<see cref="MessageUsage.CostUsd"/>), summed, in USD; 0 when none reported
    /// one. What the version figures' CPSR adds up (docs/versions.md, "Figures").</summary>
    /// <param name="run">The run.</param>
    /// <returns>The cost, USD.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is <see langword="null"/>.</exception>
    public static decimal CostUsd(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var cost = 0m;
        foreach (var e in run.Events)
        {
            if (e is MessageEvent { Usage: { } usage })
            {
                cost += usage.CostUsd;
            }
        }

        return cost;
    }

    private sealed record Scored(long Sequence, double Compound);
}
