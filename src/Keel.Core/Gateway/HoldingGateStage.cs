using Keel.Failures;
using Keel.Model;

namespace Keel.Gateway;

/// <summary>The shape of the approval and plan gates: a call whose pending decision is the gate's kind is held (not executed)
/// unless its clearing source says a person has cleared this exact call. Fails closed: with no clearing source, every such call is held.</summary>
public abstract class HoldingGateStage : IToolCallStage
{
    private readonly DecisionKind _holds;
    private readonly Func<ToolCallContext, CancellationToken, ValueTask<bool>>? _cleared;

    /// <summary>Creates the gate with a synchronous clearing source.</summary>
    /// <param name="holds">The pending decision this gate acts on.</param>
    /// <param name="cleared">Returns whether the call was cleared; <see langword="null"/> for none (audit mode).</param>
    protected HoldingGateStage(DecisionKind holds, Func<ToolCallContext, bool>? cleared)
        : this(holds, cleared is null ? null : (context, _) => ValueTask.FromResult(cleared(context)))
    {
    }

    /// <summary>Creates the gate with an asynchronous clearing source (a durable approval store).</summary>
    /// <param name="holds">The pending decision this gate acts on.</param>
    /// <param name="cleared">Returns whether the call was cleared, consuming what cleared it; <see langword="null"/> for none (audit mode).</param>
    protected HoldingGateStage(DecisionKind holds, Func<ToolCallContext, CancellationToken, ValueTask<bool>>? cleared)
    {
        _holds = holds;
        _cleared = cleared;
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.PendingDecision is not { } pending || pending.Kind != _holds)
        {
            return next(context, cancellationToken);
        }

        return _cleared is null ? ValueTask.FromResult(Hold(context, pending)) : CheckAsync(context, pending, next, cancellationToken);
    }

    private async ValueTask<ToolCallOutcome> CheckAsync(ToolCallContext context, Decision pending, ToolCallHandler next, CancellationToken cancellationToken) =>
        await _cleared!(context, cancellationToken).ConfigureAwait(false)
            ? await next(context, cancellationToken).ConfigureAwait(false)
            : Hold(context, pending);

    private static ToolCallOutcome Hold(ToolCallContext context, Decision pending) =>
        ToolCallOutcome.Stopped(context, pending, FailureClassifier.Stopped(pending, FailureClass.Policy, context.Call, context.Agent.Handoff.Team));
}
