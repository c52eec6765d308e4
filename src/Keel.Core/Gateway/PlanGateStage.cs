using Keel.Model;

namespace Keel.Gateway;

/// <summary>Plan gate: a call the policy marked <see cref="DecisionKind.RequirePlan"/> is held until a dry run of it has been
/// reviewed and approved. Fails closed: with no plan source, every such call is held.</summary>
public sealed class PlanGateStage : HoldingGateStage
{
    /// <summary>Creates the gate with a synchronous source.</summary>
    /// <param name="hasReviewedPlan">Returns whether a reviewed plan exists for this exact call; <see langword="null"/> for none (audit mode).</param>
    public PlanGateStage(Func<ToolCallContext, bool>? hasReviewedPlan = null)
        : base(DecisionKind.RequirePlan, hasReviewedPlan)
    {
    }

    /// <summary>Creates the gate on previews and durable approvals (see <see cref="Plans.PlanClearance"/>).</summary>
    /// <param name="tryConsumePlanApproval">Previews the call (setting <see cref="ToolCallContext.Plan"/>) and uses a granted approval
    /// bound to this call and this exact diff, returning whether there was one.</param>
    public PlanGateStage(Func<ToolCallContext, CancellationToken, ValueTask<bool>> tryConsumePlanApproval)
        : base(DecisionKind.RequirePlan, tryConsumePlanApproval ?? throw new ArgumentNullException(nameof(tryConsumePlanApproval)))
    {
    }

    /// <inheritdoc />
    public override string Name => "plan_gate";
}
