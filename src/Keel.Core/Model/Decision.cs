namespace Keel.Model;

/// <summary>The outcome of evaluating a proposed tool call: what was decided, by which rule, and why.</summary>
/// <param name="Kind">The decision.</param>
/// <param name="Stage">The pipeline stage that decided, e.g. <c>policy</c>, <c>schema</c>, <c>budget</c>.</param>
/// <param name="RuleId">The rule that produced the decision, e.g. <c>airline.cancel.eligibility</c>; <see langword="null"/> for a plain allow.</param>
/// <param name="PolicyVersion">The version of the policy set the rule belongs to; <see langword="null"/> when no policy rule decided.</param>
/// <param name="Reason">A sentence a person can read, e.g. "cancel_reservation needs the reservation to be booked within 24 h ...".</param>
public sealed record Decision(DecisionKind Kind, string Stage, string? RuleId, string? PolicyVersion, string Reason)
{
    /// <summary>A plain allow with no rule attached.</summary>
    public static Decision Allowed { get; } = new(DecisionKind.Allow, "pipeline", null, null, "allowed");

    /// <summary>Whether the call is stopped or held (anything but <see cref="DecisionKind.Allow"/> and <see cref="DecisionKind.RequirePlan"/>).</summary>
    public bool IsHeldOrDenied => Kind >= DecisionKind.RequireApproval;
}
