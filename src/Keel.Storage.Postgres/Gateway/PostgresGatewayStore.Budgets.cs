using Keel.Model;
using Keel.Budgets;
using Npgsql;

namespace Keel.Storage.Postgres.Gateway;

public sealed partial class PostgresGatewayStore
{
    /// <inheritdoc />
    /// <remarks>One transaction: the workspace's budget is read; without one the call is granted and nothing is counted. Otherwise the
    /// window's row is created if missing (<c>ON CONFLICT DO NOTHING</c>), locked (<c>SELECT … FOR UPDATE</c>), and <paramref name="use"/>
    /// is added only when every limit holds afterwards. The row lock makes concurrent reservations on every instance take turns, so a
    /// window is never overspent.</remarks>
    public async ValueTask<BudgetReservation> TryReserveAsync(string workspaceId, BudgetUse use, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await InTransactionAsync(async (connection, transaction) =>
        {
            if (await ReadBudgetAsync(connection, transaction, workspaceId) is not { } budget)
            {
                return BudgetReservation.Ok;
            }

            var window = PostgresTime.ToUtcText(budget.WindowStart(now));
            await Sql.ExecuteAsync(connection, transaction, "INSERT INTO budget_windows (workspace_id, window_start) VALUES (@ws, @w) ON CONFLICT DO NOTHING",
                ("ws", workspaceId), ("w", window));
            await using (var read = Sql.Command(connection, transaction, """
                             SELECT steps, tool_calls, tokens, cost_usd_micros FROM budget_windows WHERE workspace_id = @ws AND window_start = @w FOR UPDATE
                             """, ("ws", workspaceId), ("w", window)))
            await using (var reader = await read.ExecuteReaderAsync())
            {
                await reader.ReadAsync();
                var refused = budget.Check(new WindowUse(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)), use, window);
                if (!refused.Granted)
                {
                    return refused;
                }
            }

            await Sql.ExecuteAsync(connection, transaction, """
                UPDATE budget_windows SET steps = steps + @s, tool_calls = tool_calls + @c, tokens = tokens + @t, cost_usd_micros = cost_usd_micros + @m
                WHERE workspace_id = @ws AND window_start = @w
                """, ("s", (long)use.Steps), ("c", (long)use.ToolCalls), ("t", use.Tokens), ("m", WorkspaceBudget.ToMicros(use.CostUsd)), ("ws", workspaceId), ("w", window));
            return BudgetReservation.Ok;
        }, $"the budget of workspace '{workspaceId}' could not be reserved", cancellationToken);

    /// <inheritdoc />
    public Task<BudgetUse?> GetWindowUseAsync(string workspaceId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            if (await ReadBudgetAsync(connection, transaction, workspaceId) is not { } budget)
            {
                return (BudgetUse?)null;
            }

            await using var read = Sql.Command(connection, transaction, "SELECT steps, tool_calls, tokens, cost_usd_micros FROM budget_windows WHERE workspace_id = @ws AND window_start = @w",
                ("ws", workspaceId), ("w", PostgresTime.ToUtcText(budget.WindowStart(now))));
            await using var reader = await read.ExecuteReaderAsync();
            return await reader.ReadAsync()
                ? new BudgetUse((int)reader.GetInt64(0), (int)reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3) / 1_000_000m)
                : new BudgetUse(0, 0, 0, 0m);
        }, $"the budget of workspace '{workspaceId}' could not be read", cancellationToken);

    private static async Task<WorkspaceBudget?> ReadBudgetAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId)
    {
        await using var command = Sql.Command(connection, transaction, """
            SELECT budget_window_seconds, budget_max_steps, budget_max_tool_calls, budget_max_tokens, budget_max_cost_micros FROM workspaces WHERE id = @id
            """, ("id", workspaceId));
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync() || Sql.Int(reader, 0) is not { } window)
        {
            return null;
        }

        return new WorkspaceBudget(TimeSpan.FromSeconds(window), new BudgetLimits(
            (int?)Sql.Int(reader, 1), (int?)Sql.Int(reader, 2), Sql.Int(reader, 3), Sql.Int(reader, 4) is { } micros ? micros / 1_000_000m : null));
    }
}
