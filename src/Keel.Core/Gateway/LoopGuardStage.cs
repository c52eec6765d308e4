using Keel.Failures;
using Keel.Model;

namespace Keel.Gateway;

/// <summary>Loop guard: denies a call whose fingerprint (tool + canonical arguments) was already made
/// <see cref="LoopGuardOptions.MaxRepeats"/> times in the run, and escalates when
/// <see cref="LoopGuardOptions.MaxStepsWithoutProgress"/> tool calls in a row brought no new information.</summary>
public sealed class LoopGuardStage : IToolCallStage
{
    /// <inheritdoc />
    public string Name => "loop_guard";

    /// <inheritdoc />
    public ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var options = context.Agent.LoopGuard;
        Decision? decision = null;
        if (context.PriorRepeats >= options.MaxRepeats)
        {
            decision = new Decision(DecisionKind.Deny, Name, "loop.repeat", null,
                $"{context.Call.ToolName} with the same arguments was already called {context.PriorRepeats} times in this run (limit {options.MaxRepeats})");
        }
        else if (context.State.CallsWithoutProgress >= options.MaxStepsWithoutProgress)
        {
            decision = new Decision(DecisionKind.Escalate, Name, "loop.no_progress", null,
                $"{context.State.CallsWithoutProgress} tool calls in a row brought no new information (limit {options.MaxStepsWithoutProgress})");
        }

        return decision is null
            ? next(context, cancellationToken)
            : ValueTask.FromResult(ToolCallOutcome.Stopped(context, decision, FailureClassifier.Stopped(decision, FailureClass.Loop, context.Call, context.Agent.Handoff.Team)));
    }
}
