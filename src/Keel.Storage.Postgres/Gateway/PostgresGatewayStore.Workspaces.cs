using Keel.Budgets;
using Keel.Model;
using Keel.Tenancy;

namespace Keel.Storage.Postgres.Gateway;

public sealed partial class PostgresGatewayStore
{
    /// <inheritdoc />
    /// <remarks>The workspace is inserted with <c>ON CONFLICT DO NOTHING</c>: of instances starting together on a new database, exactly
    /// one creates it and gets the admin key.</remarks>
    public async Task<string?> CreateWorkspaceAsync(Workspace workspace, KeelRole adminRole, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (adminRole is not (KeelRole.Admin or KeelRole.PlatformAdmin))
        {
            throw new ArgumentException($"a workspace's first key is an admin or platform_admin key, not {KeelRoles.Name(adminRole)}", nameof(adminRole));
        }

        var now = _time.GetUtcNow();
        return await InTransactionAsync(async (connection, transaction) =>
        {
            var inserted = await Sql.ExecuteAsync(connection, transaction, "INSERT INTO workspaces (id, name, created_at) VALUES (@id, @name, @at) ON CONFLICT DO NOTHING",
                ("id", workspace.Id), ("name", workspace.Name), ("at", PostgresTime.ToUtcText(now)));
            return inserted == 0 ? null : (await InsertKeyAsync(connection, transaction, workspace.Id, "admin", adminRole, null, now))!.Value.Key;
        }, $"workspace '{workspace.Id}' was not created", cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> WorkspaceExistsAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        InTransactionAsync(
            async (connection, transaction) => await Sql.ScalarAsync(connection, transaction, "SELECT 1 FROM workspaces WHERE id = @id", ("id", workspaceId)) is not null,
            $"workspace '{workspaceId}' could not be read",
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<WorkspaceRecord>> ListWorkspacesAsync(CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = Sql.Command(connection, transaction, "SELECT id, name, created_at FROM workspaces ORDER BY created_at, id");
            await using var reader = await command.ExecuteReaderAsync();
            var list = new List<WorkspaceRecord>();
            while (await reader.ReadAsync())
            {
                list.Add(new WorkspaceRecord(reader.GetString(0), reader.GetString(1), PostgresTime.FromUtcText(reader.GetString(2))));
            }

            return (IReadOnlyList<WorkspaceRecord>)list;
        }, "the workspaces could not be listed", cancellationToken);

    /// <inheritdoc />
    public Task SetWorkspaceBudgetAsync(string workspaceId, WorkspaceBudget? budget, CancellationToken cancellationToken = default)
    {
        if (budget is not null && budget.Window < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"the budget window is {budget.Window}; set it to one second or more", nameof(budget));
        }

        return InTransactionAsync((connection, transaction) => Sql.ExecuteAsync(connection, transaction, """
            UPDATE workspaces SET budget_window_seconds = @w, budget_max_steps = @s, budget_max_tool_calls = @c, budget_max_tokens = @t, budget_max_cost_micros = @m
            WHERE id = @id
            """, ("id", workspaceId), ("w", budget is null ? null : (long)budget.Window.TotalSeconds), ("s", (long?)budget?.Limits.MaxSteps),
            ("c", (long?)budget?.Limits.MaxToolCalls), ("t", budget?.Limits.MaxTokens), ("m", budget?.Limits.MaxCostUsd is { } usd ? WorkspaceBudget.ToMicros(usd) : null)),
            $"the budget of workspace '{workspaceId}' was not stored", cancellationToken);
    }

    /// <inheritdoc />
    public Task<WorkspaceBudget?> GetWorkspaceBudgetAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        InTransactionAsync((connection, transaction) => ReadBudgetAsync(connection, transaction, workspaceId), $"the budget of workspace '{workspaceId}' could not be read", cancellationToken);
}
