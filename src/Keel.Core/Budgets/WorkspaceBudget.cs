using Keel.Model;

namespace Keel.Budgets;

/// <summary>A workspace's budget: limits on what all its runs together may use per fixed window of time.</summary>
/// <param name="Window">The window length; windows start at multiples of it since the Unix epoch (UTC).</param>
/// <param name="Limits">The limits per window; <see langword="null"/> members are unlimited.</param>
public sealed record WorkspaceBudget(TimeSpan Window, BudgetLimits Limits)
{
    /// <summary>The start of the window that holds <paramref name="now"/>.</summary>
    /// <param name="now">The time.</param>
    /// <returns>The window start (UTC).</returns>
    public DateTimeOffset WindowStart(DateTimeOffset now)
    {
        var ticks = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.AddTicks(ticks - (ticks % Window.Ticks));
    }

    /// <summary>Whether a step may be added to what the window has used: every limit must still hold afterwards. Stores call this
    /// inside the transaction that holds the window's row, so the check and the count are one atomic step.</summary>
    /// <param name="used">What the window has used so far; cost in micro-USD (see <see cref="ToMicros"/>).</param>
    /// <param name="use">What the step uses.</param>
    /// <param name="windowStart">The window's start as the store writes it, for the reason text.</param>
    /// <returns>Granted, or refused with the reason and the rule of the first limit that would be exceeded (tool calls, steps,
    /// tokens, cost, in that order).</returns>
    public BudgetReservation Check(WindowUse used, BudgetUse use, string windowStart) =>
        Over(Limits.MaxToolCalls, used.ToolCalls, use.ToolCalls, "tool calls", "workspace_budget.tool_calls", windowStart) ??
        Over(Limits.MaxSteps, used.Steps, use.Steps, "steps", "workspace_budget.steps", windowStart) ??
        Over(Limits.MaxTokens, used.Tokens, use.Tokens, "tokens", "workspace_budget.tokens", windowStart) ??
        Over(Limits.MaxCostUsd is { } usd ? ToMicros(usd) : null, used.CostUsdMicros, ToMicros(use.CostUsd), "micro-USD of cost", "workspace_budget.cost_usd", windowStart) ??
        BudgetReservation.Ok;

    /// <summary>USD as the integer micro-USD stores count in, so sums are exact (rounded half away from zero).</summary>
    /// <param name="usd">An amount in USD.</param>
    /// <returns>The amount in micro-USD.</returns>
    public static long ToMicros(decimal usd) => (long)decimal.Round(usd * 1_000_000m, MidpointRounding.AwayFromZero);

    private static BudgetReservation? Over(long? limit, long used, long adding, string what, string rule, string window) =>
        limit is { } l && adding > 0 && used + adding > l
            ? new BudgetReservation(false, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"workspace budget exceeded: {used} of {l} {what} used in the window from {window}"), rule)
            : null;
}

/// <summary>What a workspace's budget window has used, as a store counts it.</summary>
/// <param name="Steps">Steps.</param>
/// <param name="ToolCalls">Tool calls.</param>
/// <param name="Tokens">Model tokens.</param>
/// <param name="CostUsdMicros">Model cost in micro-USD.</param>
public readonly record struct WindowUse(long Steps, long ToolCalls, long Tokens, long CostUsdMicros);
