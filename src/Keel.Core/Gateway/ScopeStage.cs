using Keel.Failures;
using Keel.Model;

namespace Keel.Gateway;

/// <summary>Scope: the run must belong to the workspace this pipeline serves. A cross-workspace call is a hard permission failure.</summary>
/// <param name="workspaceId">The served workspace.</param>
public sealed class ScopeStage(string workspaceId) : IToolCallStage
{
    /// <inheritdoc />
    public string Name => "scope";

    /// <inheritdoc />
    public ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (string.Equals(context.State.Run.WorkspaceId, workspaceId, StringComparison.Ordinal))
        {
            return next(context, cancellationToken);
        }

        var decision = new Decision(DecisionKind.Deny, Name, "scope.workspace", null, "the run belongs to another workspace");
        return ValueTask.FromResult(ToolCallOutcome.Stopped(context, decision, FailureClassifier.Stopped(decision, FailureClass.Permission, context.Call, context.Agent.Handoff.Team)));
    }
}
