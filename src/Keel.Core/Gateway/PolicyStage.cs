using Keel.Failures;
using Keel.Model;
using Keel.Policies;

namespace Keel.Gateway;

/// <summary>Policy: evaluates the agent version's policy set. Deny and escalate stop the call here; require-approval and
/// require-plan (and allow) are left pending for the approval and plan gates, so budgets and the loop guard still see the call.</summary>
public sealed class PolicyStage : IToolCallStage
{
    /// <inheritdoc />
    public string Name => "policy";

    /// <inheritdoc />
    public ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var decision = context.Agent.Policies.Evaluate(new PolicyContext(context.Call, context.Tool, context.Arguments, context.State, context.Now));
        switch (decision.Kind)
        {
            case DecisionKind.Deny:
            case DecisionKind.Escalate:
                return ValueTask.FromResult(ToolCallOutcome.Stopped(context, decision, FailureClassifier.Stopped(decision, FailureClass.Policy, context.Call, context.Agent.Handoff.Team)));
            default:
                context.PendingDecision = decision;
                break;
        }

        return next(context, cancellationToken);
    }
}
