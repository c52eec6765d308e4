using Keel.Model;

namespace Keel.Gateway;

/// <summary>What the pipeline made of a proposed tool call: the decision, the result if the tool ran, and the classified failure if any.</summary>
/// <param name="Decision">The final decision.</param>
/// <param name="Result">The tool result; <see cref="ToolResultStatus.NotExecuted"/> when the call was stopped or held.</param>
/// <param name="Failure">The classified failure, or <see langword="null"/> when the call went through and succeeded.</param>
public sealed record ToolCallOutcome(Decision Decision, ToolResult Result, Failure? Failure)
{
    /// <summary>Whether the tool ran and succeeded.</summary>
    public bool Succeeded => Result.IsSuccess;

    /// <summary>An outcome for a call stopped before execution.</summary>
    /// <param name="context">The call.</param>
    /// <param name="decision">Why it stopped.</param>
    /// <param name="failure">The classified failure.</param>
    /// <returns>The outcome.</returns>
    public static ToolCallOutcome Stopped(ToolCallContext context, Decision decision, Failure failure) =>
        new(decision, ToolResult.NotExecuted(context.Call.Id, decision.Reason), failure);
}
