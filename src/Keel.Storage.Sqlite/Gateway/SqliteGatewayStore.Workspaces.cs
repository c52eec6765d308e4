using Keel.Budgets;
using Keel.Model;
using Keel.Tenancy;

namespace Keel.Storage.Sqlite.Gateway;

public sealed partial class SqliteGatewayStore
{
    /// <inheritdoc />
    public Task<string?> CreateWorkspaceAsync(Workspace workspace, KeelRole adminRole, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (adminRole is not (KeelRole.Admin or KeelRole.PlatformAdmin))
        {
            throw new ArgumentException($"a workspace's first key is an admin or platform_admin key, not {KeelRoles.Name(adminRole)}", nameof(adminRole));
        }

        var now = _time.GetUtcNow();
        return InTransactionAsync(write: true, (connection, transaction) =>
        {
            var inserted = Execute(connection, transaction, "INSERT OR IGNORE INTO workspaces (id, name, created_at) VALUES ($id, $name, $at)",
                ("$id", workspace.Id), ("$name", workspace.Name), ("$at", SqliteTime.ToUtcText(now)));
            return inserted == 0 ? null : InsertKey(connection, transaction, workspace.Id, "admin", adminRole, null, now).Key;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> WorkspaceExistsAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: false, (connection, transaction) =>
        {
            using var command = Command(connection, transaction, "SELECT 1 FROM workspaces WHERE id = $id", ("$id", workspaceId));
            return command.ExecuteScalar() is not null;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<WorkspaceRecord>> ListWorkspacesAsync(CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: false, (connection, transaction) =>
        {
            using var command = Command(connection, transaction, "SELECT id, name, created_at FROM workspaces ORDER BY created_at, id");
            using var reader = command.ExecuteReader();
            var list = new List<WorkspaceRecord>();
            while (reader.Read())
            {
                list.Add(new WorkspaceRecord(reader.GetString(0), reader.GetString(1), SqliteTime.FromUtcText(reader.GetString(2), 0)));
            }

            return (IReadOnlyList<WorkspaceRecord>)list;
        }, cancellationToken);

    /// <inheritdoc />
    public Task SetWorkspaceBudgetAsync(string workspaceId, WorkspaceBudget? budget, CancellationToken cancellationToken = default)
    {
        if (budget is not null && budget.Window < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"the budget window is {budget.Window}; set it to one second or more", nameof(budget));
        }

        return InTransactionAsync(write: true, (connection, transaction) => Execute(connection, transaction, """
            UPDATE workspaces SET budget_window_seconds = $w, budget_max_steps = $s, budget_max_tool_calls = $c,
                budget_max_tokens = $t, budget_max_cost_micros = $m WHERE id = $id
            """, ("$id", workspaceId), ("$w", budget is null ? null : (long)budget.Window.TotalSeconds), ("$s", budget?.Limits.MaxSteps),
            ("$c", budget?.Limits.MaxToolCalls), ("$t", budget?.Limits.MaxTokens), ("$m", budget?.Limits.MaxCostUsd is { } usd ? WorkspaceBudget.ToMicros(usd) : null)), cancellationToken);
    }

    /// <inheritdoc />
    public Task<WorkspaceBudget?> GetWorkspaceBudgetAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: false, (connection, transaction) => ReadBudget(connection, transaction, workspaceId), cancellationToken);

    private static WorkspaceBudget? ReadBudget(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, string workspaceId)
    {
        using var command = Command(connection, transaction, """
            SELECT budget_window_seconds, budget_max_steps, budget_max_tool_calls, budget_max_tokens, budget_max_cost_micros
            FROM workspaces WHERE id = $id
            """, ("$id", workspaceId));
        using var reader = command.ExecuteReader();
        if (!reader.Read() || Int(reader, 0) is not { } window)
        {
            return null;
        }

        return new WorkspaceBudget(TimeSpan.FromSeconds(window), new BudgetLimits(
            (int?)Int(reader, 1), (int?)Int(reader, 2), Int(reader, 3), Int(reader, 4) is { } micros ? micros / 1_000_000m : null));
    }

}
