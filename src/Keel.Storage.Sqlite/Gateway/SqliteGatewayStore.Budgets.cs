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
                var refused = budget.Check(new WindowUse(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)), use, window);
                if (!refused.Granted)
                {
                    return refused;
                }
            }

            Execute(connection, transaction, """
                UPDATE budget_windows SET steps = steps + $s, tool_calls = tool_calls + $c, tokens = tokens + $t, cost_usd_micros = cost_usd_micros + $m
                WHERE workspace_id = $ws AND window_start = $w
                """, ("$s", use.Steps), ("$c", use.ToolCalls), ("$t", use.Tokens), ("$m", WorkspaceBudget.ToMicros(use.CostUsd)), ("$ws", workspaceId), ("$w", window));
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
}
