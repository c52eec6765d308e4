namespace Keel.Escalation;

/// <summary>An agent version's escalation rules and topic taxonomy (<c>escalation.yaml</c>, docs/escalation.md).</summary>
/// <param name="Rules">The rules in file order.</param>
/// <param name="Topics">The topic taxonomy.</param>
/// <param name="Source">The policy document the rules cite, relative to the bundle; <see langword="null"/> when not given.</param>
public sealed record EscalationPolicy(IReadOnlyList<EscalationRule> Rules, TopicTaxonomy Topics, string? Source = null)
{
    /// <summary>No rules, no topics.</summary>
    public static EscalationPolicy Empty { get; } = new([], TopicTaxonomy.Empty);
}
