namespace Keel.Model;

/// <summary>Per-run budget limits; <see langword="null"/> means no limit. Reserved before each step, so a step that would exceed a limit never runs.</summary>
/// <param name="MaxSteps">Most steps (messages + tool calls) per run.</param>
/// <param name="MaxToolCalls">Most tool calls per run.</param>
/// <param name="MaxTokens">Most model tokens (prompt + completion) per run.</param>
/// <param name="MaxCostUsd">Most model cost per run, in USD.</param>
public sealed record BudgetLimits(int? MaxSteps = null, int? MaxToolCalls = null, long? MaxTokens = null, decimal? MaxCostUsd = null)
{
    /// <summary>No limits.</summary>
    public static BudgetLimits Unlimited { get; } = new();
}
