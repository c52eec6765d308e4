using Keel.Failures;
using Keel.Model;

namespace Keel.Gateway;

/// <summary>Result check: every tool result is checked. A tool error becomes a classified failure (transient or semantic);
/// a call that was allowed but never answered is an incomplete failure. A failed write is never reported as a success.</summary>
public sealed class ResultCheckStage : IToolCallStage
{
    /// <inheritdoc />
    public string Name => "result_check";

    /// <inheritdoc />
    public async ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var outcome = await next(context, cancellationToken).ConfigureAwait(false);
        if (outcome.Failure is not null)
        {
            return outcome;
        }

        return outcome.Result.Status switch
        {
            ToolResultStatus.Error => outcome with { Failure = FailureClassifier.ToolError(context.Tool, context.Call, outcome.Result, handoffTeam: context.Agent.Handoff.Team) },
            ToolResultStatus.NotExecuted => outcome with
            {
                Failure = new Failure(FailureClass.Incomplete, Disposition.SafeStop, $"{context.Call.ToolName} was allowed but no result came back: {outcome.Result.Output}", null, context.Call.ToolName),
            },
            _ => outcome,
        };
    }
}
