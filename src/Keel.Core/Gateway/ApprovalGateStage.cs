using Keel.Model;

namespace Keel.Gateway;

/// <summary>Approval gate: a call the policy marked <see cref="DecisionKind.RequireApproval"/> is held (not executed) unless
/// the approval source reports a granted approval for it. Fails closed: with no approval source, every such call is held.</summary>
public sealed class ApprovalGateStage : HoldingGateStage
{
    /// <summary>Creates the gate with a synchronous approval source.</summary>
    /// <param name="isApproved">Returns whether a person approved this exact call; <see langword="null"/> for none (audit mode).</param>
    public ApprovalGateStage(Func<ToolCallContext, bool>? isApproved = null)
        : base(DecisionKind.RequireApproval, isApproved)
    {
    }

    /// <summary>Creates the gate on a durable approval source (see <see cref="Approvals.ApprovalClearance"/>).</summary>
    /// <param name="tryConsumeApproval">Uses a granted approval of this exact call, returning whether there was one.</param>
    public ApprovalGateStage(Func<ToolCallContext, CancellationToken, ValueTask<bool>> tryConsumeApproval)
        : base(DecisionKind.RequireApproval, tryConsumeApproval ?? throw new ArgumentNullException(nameof(tryConsumeApproval)))
    {
    }

    /// <inheritdoc />
    public override string Name => "approval_gate";
}
