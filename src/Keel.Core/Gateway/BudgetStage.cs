using System.Globalization;
using Keel.Failures;
using Keel.Model;

namespace Keel.Gateway;

/// <summary>Budget: the run's step, tool-call, token and cost budgets. The call was reserved when it was proposed
/// (see <see cref="RunState.OnToolCallProposed"/>); a call that takes the run past a limit never runs.</summary>
public sealed class BudgetStage : IToolCallStage
{
    /// <inheritdoc />
    public string Name => "budget";

    /// <inheritdoc />
    public ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var limits = context.Agent.Budgets;
        var state = context.State;
        var exceeded =
            limits.MaxToolCalls is { } calls && state.ToolCalls > calls ? Describe("tool calls", state.ToolCalls, calls, "budget.tool_calls") :
            limits.MaxSteps is { } steps && state.Steps > steps ? Describe("steps", state.Steps, steps, "budget.steps") :
            limits.MaxTokens is { } tokens && state.Tokens > tokens ? Describe("tokens", state.Tokens, tokens, "budget.tokens") :
            limits.MaxCostUsd is { } cost && state.CostUsd > cost ? Describe("cost (USD)", state.CostUsd, cost, "budget.cost_usd") :
            ((string Reason, string Rule)?)null;
        if (exceeded is null)
        {
            return next(context, cancellationToken);
        }

        var decision = new Decision(DecisionKind.Deny, Name, exceeded.Value.Rule, null, exceeded.Value.Reason);
        return ValueTask.FromResult(ToolCallOutcome.Stopped(context, decision, FailureClassifier.Stopped(decision, FailureClass.Budget, context.Call, context.Agent.Handoff.Team)));
    }

    private static (string, string) Describe(string what, decimal used, decimal limit, string rule) =>
        (string.Create(CultureInfo.InvariantCulture, $"run budget exceeded: {used} {what} used, limit {limit}"), rule);
}
