using System.Globalization;
using Keel.Budgets;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Gateway;

public sealed partial class SqliteGatewayStore
{
    /// <inheritdoc />
    /// <remarks>One <c>BEGIN IMMEDIATE</c> transaction reads the window's counts and adds <paramref name="use"/> only when every
    /// limit holds afterwards. A workspace without a budget is always granted and nothing is counted; that is found with a read
    /// transaction first, so calls of such workspaces never take the write lock here.</remarks>
    public async ValueTask<BudgetReservation> TryReserveAsync(string workspaceId, BudgetUse use, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (await GetWorkspaceBudgetAsync(workspaceId, cancellationToken) is null)
        {
            return BudgetReservation.Ok;
        }

        return await InTransactionAsync(write: true, (connection, transaction) =>
        {
            if (ReadBudget(connection, transaction, workspaceId) is not { } budget)
            {
                return BudgetReservation.Ok;
            }

            var window = SqliteTime.ToUtcText(budget.WindowStart(now));
            Execute(connection, transaction, "INSERT OR IGNORE INTO budget_windows (workspace_id, window_start) VALUES ($ws, $w)", ("$ws", workspaceId), ("$w", window));
            using (var read = Command(connection, transaction, "SELECT steps, tool_calls, tokens, cost_usd_micros FROM budget_windows WHERE workspace_id = $ws AND window_start = $w",
                       ("$ws", workspaceId), ("$w", window)))
            using (var reader = read.ExecuteReader())
            {
                reader.Read();
                var limits = budget.Limits;
                var refused =
                    Over(limits.MaxToolCalls, reader.GetInt64(1), use.ToolCalls, "tool calls", "workspace_budget.tool_calls", window) ??
                    Over(limits.MaxSteps, reader.GetInt64(0), use.Steps, "steps", "workspace_budget.steps", window) ??
                    Over(limits.MaxTokens, reader.GetInt64(2), use.Tokens, "tokens", "workspace_budget.tokens", window) ??
                    Over(limits.MaxCostUsd is { } usd ? ToMicros(usd) : null, reader.GetInt64(3), ToMicros(use.CostUsd), "micro-USD of cost", "workspace_budget.cost_usd", window);
                if (refused is { } r)
                {
                    return r;
                }
            }

            Execute(connection, transaction, """
                UPDATE budget_windows SET steps = steps + $s, tool_calls = tool_calls + $c, tokens = tokens + $t, cost_usd_micros = cost_usd_micros + $m
                WHERE workspace_id = $ws AND window_start = $w
                """, ("$s", use.Steps), ("$c", use.ToolCalls), ("$t", use.Tokens), ("$m", ToMicros(use.CostUsd)), ("$ws", workspaceId), ("$w", window));
            return BudgetReservation.Ok;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<BudgetUse?> GetWindowUseAsync(string workspaceId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: false, (connection, transaction) =>
        {
            if (ReadBudget(connection, transaction, workspaceId) is not { } budget)
            {
                return (BudgetUse?)null;
            }

            using var read = Command(connection, transaction, "SELECT steps, tool_calls, tokens, cost_usd_micros FROM budget_windows WHERE workspace_id = $ws AND window_start = $w",
                ("$ws", workspaceId), ("$w", SqliteTime.ToUtcText(budget.WindowStart(now))));
            using var reader = read.ExecuteReader();
            return reader.Read() ? new BudgetUse((int)reader.GetInt64(0), (int)reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3) / 1_000_000m) : new BudgetUse(0, 0, 0, 0m);
        }, cancellationToken);

    private static BudgetReservation? Over(long? limit, long used, long adding, string what, string rule, string window) =>
        limit is { } l && adding > 0 && used + adding > l
            ? new BudgetReservation(false, string.Create(CultureInfo.InvariantCulture, $"workspace budget exceeded: {used} of {l} {what} used in the window from {window}"), rule)
            : null;
}
