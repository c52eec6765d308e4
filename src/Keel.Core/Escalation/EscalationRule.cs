using Keel.Policies.Cel;

namespace Keel.Escalation;

/// <summary>One escalation rule of an agent version (<c>escalation.yaml</c>): when its CEL condition holds on the conversation so
/// far, the run goes to a human team with a priority. The format is in <c>docs/escalation.md</c>.</summary>
/// <param name="Name">Unique rule name, e.g. <c>sim_locked</c>.</param>
/// <param name="Condition">The compiled condition over <see cref="EscalationActivation.VariableNames"/>; fires when it evaluates to <see langword="true"/>
/// (an error value or any other value does not fire).</param>
/// <param name="Team">The team the run goes to, e.g. <c>telecom-tier2</c>.</param>
/// <param name="Priority">Priority from <c>p1</c> (highest) to <c>p3</c>.</param>
/// <param name="Reason">Why, in a sentence a person reads in the handoff packet.</param>
/// <param name="Cite">The sentence of the policy document the rule rests on, quoted; <see langword="null"/> for a rule no document states
/// (the lint warns).</param>
/// <param name="Location">Where the rule is written, <c>file:line:column</c>.</param>
public sealed record EscalationRule(string Name, CelProgram Condition, string Team, string Priority, string Reason, string? Cite, string Location)
{
    /// <summary>What the rule does to a live run when it fires. The default is <see cref="EscalationAction.Handoff"/>.</summary>
    public EscalationAction Action { get; init; } = EscalationAction.Handoff;

    /// <summary>Evaluates the condition.</summary>
    /// <param name="activation">The conversation's variables.</param>
    /// <returns>Whether the rule fires.</returns>
    public bool Fires(EscalationActivation activation) => Condition.Evaluate(activation) is true;
}
