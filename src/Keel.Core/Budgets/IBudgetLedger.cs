namespace Keel.Budgets;

/// <summary>Reserves workspace budget before a step: the check and the count are one atomic operation, so no number of
/// concurrent callers can take a window past its limits.</summary>
/// <remarks>Implementations are thread-safe (and, for a shared database, safe across processes).</remarks>
public interface IBudgetLedger
{
    /// <summary>Adds <paramref name="use"/> to the workspace's current window if every limit still holds afterwards; otherwise adds nothing.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="use">What the step uses.</param>
    /// <param name="now">The current time (UTC), which picks the window.</param>
    /// <param name="cancellationToken">Cancels the reservation.</param>
    /// <returns>Granted, or refused with the reason and the budget rule id (<c>workspace_budget.tool_calls</c>, …).</returns>
    ValueTask<BudgetReservation> TryReserveAsync(string workspaceId, BudgetUse use, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>What the workspace's current window has used.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="now">The current time (UTC), which picks the window.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The use so far (zero when the window has none yet); <see langword="null"/> when the workspace has no budget.</returns>
    /// <exception cref="Storage.StoreException">The read failed.</exception>
    Task<BudgetUse?> GetWindowUseAsync(string workspaceId, DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>The answer of <see cref="IBudgetLedger.TryReserveAsync"/>.</summary>
/// <param name="Granted">Whether the use was reserved.</param>
/// <param name="Reason">Why not, e.g. "workspace budget exceeded: 500 of 500 tool calls used in the window from 2026-11-21T10:00:00Z".</param>
/// <param name="RuleId">The budget that refused, e.g. <c>workspace_budget.tool_calls</c>.</param>
public readonly record struct BudgetReservation(bool Granted, string? Reason = null, string? RuleId = null)
{
    /// <summary>A granted reservation.</summary>
    public static BudgetReservation Ok { get; } = new(true);
}
