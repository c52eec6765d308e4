using Keel.Model;

namespace Keel.Gateway;

/// <summary>Approval gate: a call the policy marked <see cref="DecisionKind.RequireApproval"/> is held (not executed) unless
/// <paramref name="isApproved"/> reports a granted approval for it. Fails closed: with no approval source, every such call is held.</summary>
/// <param name="isApproved">Returns whether a person approved this exact call; <see langword="null"/> for none (audit mode).</param>
public sealed class ApprovalGateStage(Func<ToolCallContext, bool>? isApproved = null) : HoldingGateStage(DecisionKind.RequireApproval, isApproved)
{
    /// <inheritdoc />
    public override string Name => "approval_gate";
}
