namespace Keel.Budgets;

/// <summary>What one step uses of a budget.</summary>
/// <param name="Steps">Steps (a message or a tool call).</param>
/// <param name="ToolCalls">Tool calls.</param>
/// <param name="Tokens">Model tokens.</param>
/// <param name="CostUsd">Model cost in USD.</param>
public readonly record struct BudgetUse(int Steps, int ToolCalls, long Tokens, decimal CostUsd)
{
    /// <summary>One tool call (one step).</summary>
    public static BudgetUse OneToolCall { get; } = new(1, 1, 0, 0m);
}
