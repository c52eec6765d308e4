using System.Globalization;
using Keel.Budgets;
using Keel.Failures;
using Keel.Model;

namespace Keel.Gateway;

/// <summary>Budget: the run's step, tool-call, token and cost budgets. The call was reserved when it was proposed
/// (see <see cref="RunState.OnToolCallProposed"/>); a call that takes the run past a limit never runs. With a
/// <see cref="IBudgetLedger"/> (enforce mode), the call also reserves one tool call of its workspace's window atomically before it goes on.</summary>
/// <param name="workspaceLedger">The workspace budgets; <see langword="null"/> for none (replay).</param>
/// <param name="timeProvider">The clock that picks the workspace window. The default is <see cref="TimeProvider.System"/>.</param>
public sealed class BudgetStage(IBudgetLedger? workspaceLedger = null, TimeProvider? timeProvider = null) : IToolCallStage
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

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
        if (exceeded is not null)
        {
            return ValueTask.FromResult(Exceeded(context, exceeded.Value.Reason, exceeded.Value.Rule));
        }

        return workspaceLedger is null
            ? next(context, cancellationToken)
            : ReserveAsync(workspaceLedger, context, next, cancellationToken);
    }

    private async ValueTask<ToolCallOutcome> ReserveAsync(IBudgetLedger ledger, ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
    {
        var reservation = await ledger.TryReserveAsync(context.State.Run.WorkspaceId, BudgetUse.OneToolCall, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return reservation.Granted
            ? await next(context, cancellationToken).ConfigureAwait(false)
            : Exceeded(context, reservation.Reason ?? "workspace budget exceeded", reservation.RuleId ?? "workspace_budget");
    }

    private ToolCallOutcome Exceeded(ToolCallContext context, string reason, string rule)
    {
        var decision = new Decision(DecisionKind.Deny, Name, rule, null, reason);
        return ToolCallOutcome.Stopped(context, decision, FailureClassifier.Stopped(decision, FailureClass.Budget, context.Call, context.Agent.Handoff.Team));
    }

    private static (string, string) Describe(string what, decimal used, decimal limit, string rule) =>
        (string.Create(CultureInfo.InvariantCulture, $"run budget exceeded: {used} {what} used, limit {limit}"), rule);
}
