using Keel.Failures;
using Keel.Model;

namespace Keel.Gateway;

/// <summary>Plan gate: a call the policy marked <see cref="DecisionKind.RequirePlan"/> is held until a dry run of it has been
/// reviewed (<paramref name="hasReviewedPlan"/>). Fails closed: with no plan source, every such call is held.</summary>
/// <param name="hasReviewedPlan">Returns whether a reviewed plan exists for this exact call; <see langword="null"/> for none (audit mode).</param>
public sealed class PlanGateStage(Func<ToolCallContext, bool>? hasReviewedPlan = null) : IToolCallStage
{
    /// <inheritdoc />
    public string Name => "plan_gate";

    /// <inheritdoc />
    public ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.PendingDecision is not { Kind: DecisionKind.RequirePlan } pending || hasReviewedPlan?.Invoke(context) == true)
        {
            return next(context, cancellationToken);
        }

        return ValueTask.FromResult(ToolCallOutcome.Stopped(context, pending, FailureClassifier.Stopped(pending, FailureClass.Policy, context.Call, context.Agent.Handoff.Team)));
    }
}
