using Keel.Model;

namespace Keel.Interventions;

/// <summary>A reply of the agent that the message gate held, and the operator's decision on it once made.</summary>
/// <param name="InterventionId">Its id (<c>int_</c> and 16 hex digits).</param>
/// <param name="Draft">The agent's text.</param>
/// <param name="Channel">The channel the agent meant it for, when named.</param>
/// <param name="Sequence">The sequence number of its <c>hold</c> event.</param>
/// <param name="HeldAt">When it was held.</param>
/// <param name="Decision">The operator's <c>decision</c> event; <see langword="null"/> while it waits.</param>
public sealed record HeldReply(string InterventionId, string Draft, string? Channel, long Sequence, DateTimeOffset HeldAt, InterventionEvent? Decision)
{
    /// <summary>Every reply held in <paramref name="run"/>, in order, each with its decision when made.</summary>
    /// <param name="run">The run.</param>
    /// <returns>The held replies.</returns>
    public static IReadOnlyList<HeldReply> All(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var decisions = run.Events.OfType<InterventionEvent>()
            .Where(e => e.Action == InterventionActions.Decision && e.InterventionId is not null)
            .GroupBy(e => e.InterventionId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return [.. run.Events.OfType<InterventionEvent>()
            .Where(e => e.Action == InterventionActions.Hold && e.InterventionId is not null)
            .Select(e => new HeldReply(e.InterventionId!, e.Content ?? string.Empty, e.Channel, e.Sequence, e.Timestamp, decisions.GetValueOrDefault(e.InterventionId!)))];
    }

    /// <summary>The held reply with this id, or <see langword="null"/>.</summary>
    /// <param name="run">The run.</param>
    /// <param name="interventionId">The id.</param>
    /// <returns>The reply, or <see langword="null"/> when the run held none with that id.</returns>
    public static HeldReply? Find(Run run, string interventionId) => All(run).FirstOrDefault(r => r.InterventionId == interventionId);
}
