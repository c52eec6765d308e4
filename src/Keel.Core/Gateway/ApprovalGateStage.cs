using Keel.Failures;
using Keel.Model;

namespace Keel.Gateway;

/// <summary>Approval gate: a call the policy marked <see cref="DecisionKind.RequireApproval"/> is held (not executed) unless
/// <paramref name="isApproved"/> reports a granted approval for it. Fails closed: with no approval source, every such call is held.</summary>
/// <param name="isApproved">Returns whether a person approved this exact call; <see langword="null"/> for none (audit mode).</param>
public sealed class ApprovalGateStage(Func<ToolCallContext, bool>? isApproved = null) : IToolCallStage
{
    /// <inheritdoc />
    public string Name => "approval_gate";

    /// <inheritdoc />
    public ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.PendingDecision is not { Kind: DecisionKind.RequireApproval } pending || isApproved?.Invoke(context) == true)
        {
            return next(context, cancellationToken);
        }

        return ValueTask.FromResult(ToolCallOutcome.Stopped(context, pending, FailureClassifier.Stopped(pending, FailureClass.Policy, context.Call, context.Agent.Handoff.Team)));
    }
}
