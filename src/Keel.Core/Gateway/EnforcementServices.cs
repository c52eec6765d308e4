using Keel.Budgets;

namespace Keel.Gateway;

/// <summary>What the standard stages use in enforce mode beyond the tool executor: durable approvals and workspace budgets.
/// Replay passes none, so held calls stay held and only run budgets apply.</summary>
public sealed record EnforcementServices
{
    /// <summary>Uses a granted approval of the exact call (see <see cref="Approvals.ApprovalClearance"/>); <see langword="null"/>: every call that needs approval is held.</summary>
    public Func<ToolCallContext, CancellationToken, ValueTask<bool>>? TryConsumeApproval { get; init; }

    /// <summary>Previews a call that needs a plan and uses a granted approval bound to its diff (see <see cref="Plans.PlanClearance"/>);
    /// <see langword="null"/>: every call that needs a plan is held.</summary>
    public Func<ToolCallContext, CancellationToken, ValueTask<bool>>? TryConsumePlanApproval { get; init; }

    /// <summary>Workspace budgets reserved before each call; <see langword="null"/> for none.</summary>
    public IBudgetLedger? WorkspaceBudgets { get; init; }

    /// <summary>The clock that picks the workspace budget window (approval expiry uses the clock given to the clearing functions).</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
