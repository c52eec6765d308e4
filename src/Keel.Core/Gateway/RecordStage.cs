using Keel.Model;

namespace Keel.Gateway;

/// <summary>Record: the outermost stage. Appends the proposed call, then — whatever stage decided — the decision, the result,
/// any approval request and failure to the run's event record (in audit mode the result event carries the recorded result,
/// so the record shows both what happened and what Keel would have decided), updates the run's state (facts, counters) and feeds the run's observer (monitors).</summary>
public sealed class RecordStage : IToolCallStage
{
    /// <inheritdoc />
    public string Name => "record";

    /// <inheritdoc />
    public async ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var run = context.State.Run;
        context.Fingerprint = ToolCallFingerprint.Compute(context.Call, out var arguments);
        context.Arguments = arguments;

        context.PriorRepeats = context.State.OnToolCallProposed(context.Fingerprint);
        context.State.Observe(run.Append(new ToolCallEvent(context.Call) { Timestamp = context.Now }));

        var outcome = await next(context, cancellationToken).ConfigureAwait(false);

        context.State.Observe(run.Append(new DecisionEvent(context.Call.Id, outcome.Decision) { Timestamp = context.Now }));
        if (outcome.Decision.Kind == DecisionKind.RequireApproval)
        {
            context.State.Observe(run.Append(new ApprovalEvent(context.Call.Id, "requested", outcome.Decision.Reason) { Timestamp = context.Now }));
        }

        // A replayed run follows its recording: the result event and the state (facts, counters) take what the tool really
        // answered, while the decision event says what Keel would have done. A live call has no recording: both are the outcome.
        var happened = context.RecordedResult ?? outcome.Result;
        var resultEvent = run.Append(new ToolResultEvent(happened, context.Call.ToolName) { Timestamp = context.Now });
        if (outcome.Decision.Kind == DecisionKind.Allow)
        {
            context.State.OnCallAllowed(context.Call.ToolName, context.Now);
        }

        context.State.OnToolResult(context.Tool ?? Lookup(context), context.Call, context.Arguments, happened, resultEvent.Sequence);
        if (outcome.Failure is { } failure)
        {
            run.AddFailure(failure with { EventSequence = failure.EventSequence ?? resultEvent.Sequence });
        }

        context.State.Observe(resultEvent);

        return outcome;
    }

    private static Tools.ToolDefinition? Lookup(ToolCallContext context) => context.Agent.Tools.TryGet(context.Call.ToolName, out var tool) ? tool : null;
}
