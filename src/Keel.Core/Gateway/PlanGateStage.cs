using Keel.Model;

namespace Keel.Gateway;

/// <summary>Plan gate: a call the policy marked <see cref="DecisionKind.RequirePlan"/> is held until a dry run of it has been
/// reviewed (<paramref name="hasReviewedPlan"/>). Fails closed: with no plan source, every such call is held.</summary>
/// <param name="hasReviewedPlan">Returns whether a reviewed plan exists for this exact call; <see langword="null"/> for none (audit mode).</param>
public sealed class PlanGateStage(Func<ToolCallContext, bool>? hasReviewedPlan = null) : HoldingGateStage(DecisionKind.RequirePlan, hasReviewedPlan)
{
    /// <inheritdoc />
    public override string Name => "plan_gate";
}
