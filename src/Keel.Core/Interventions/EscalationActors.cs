namespace Keel.Interventions;

/// <summary>The actor names of interventions Keel makes by itself (<see cref="Model.InterventionEvent.Operator"/>), so the audit chain
/// says which rule or approval paused a run (docs/intervention.md).</summary>
public static class EscalationActors
{
    /// <summary>The prefix of an escalation rule's actor name: <c>rule:</c>.</summary>
    public const string RulePrefix = "rule:";

    /// <summary>The prefix of an approval's actor name: <c>approval:</c>.</summary>
    public const string ApprovalPrefix = "approval:";

    /// <summary>The actor of a pause by an escalation rule, e.g. <c>rule:angry_customer</c>.</summary>
    /// <param name="ruleName">The rule's name in <c>escalation.yaml</c>.</param>
    /// <returns>The actor name.</returns>
    public static string Rule(string ruleName) => RulePrefix + ruleName;

    /// <summary>The actor of a pause while an approval is pending, e.g. <c>approval:apr_0123456789abcdef</c>.</summary>
    /// <param name="approvalId">The approval's id.</param>
    /// <returns>The actor name.</returns>
    public static string Approval(string approvalId) => ApprovalPrefix + approvalId;

    /// <summary>Whether <paramref name="actor"/> names Keel itself (a rule or an approval) rather than an operator's key.</summary>
    /// <param name="actor">An intervention's actor.</param>
    /// <returns>Whether automatic.</returns>
    public static bool IsAutomatic(string actor) =>
        actor.StartsWith(RulePrefix, StringComparison.Ordinal) || actor.StartsWith(ApprovalPrefix, StringComparison.Ordinal);
}
