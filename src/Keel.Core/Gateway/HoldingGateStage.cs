using Keel.Failures;
using Keel.Model;

namespace Keel.Gateway;

/// <summary>The shape of the approval and plan gates: a call whose pending decision is <paramref name="holds"/> is held (not executed)
/// unless <paramref name="cleared"/> says a person has cleared this exact call. Fails closed: with no clearing source, every such call is held.</summary>
/// <param name="holds">The pending decision this gate acts on.</param>
/// <param name="cleared">Returns whether the call was cleared; <see langword="null"/> for none (audit mode).</param>
public abstract class HoldingGateStage(DecisionKind holds, Func<ToolCallContext, bool>? cleared) : IToolCallStage
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.PendingDecision is not { } pending || pending.Kind != holds || cleared?.Invoke(context) == true)
        {
            return next(context, cancellationToken);
        }

        return ValueTask.FromResult(ToolCallOutcome.Stopped(context, pending, FailureClassifier.Stopped(pending, FailureClass.Policy, context.Call, context.Agent.Handoff.Team)));
    }
}
