using Keel.Sdk.Api;
using Keel.Model;
using Keel.Replay;

namespace Keel.Mcp.Live;

/// <summary>One recorded assistant tool call proposed through the live gateway, with what the gateway answered.</summary>
/// <param name="StepIndex">The call's 0-based position in <see cref="RecordedRun.Steps"/>.</param>
/// <param name="Recorded">The recorded call and its recorded result.</param>
/// <param name="Outcome">The gateway's answer: decision, result, approval, failure.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record LiveCall(int StepIndex, RecordedToolCall Recorded, ApiToolCallOutcome Outcome)
{
    /// <summary>Whether the call reached the upstream tool: Keel allowed it and it ran (answered <c>success</c> or <c>error</c>, not
    /// <c>not_executed</c>).</summary>
    public bool ReachedUpstream => Outcome.Decision.Kind == ApiDecisionKinds.Allow && Outcome.Result.Status != ApiToolResult.NotExecuted;

    /// <summary>Whether the call reached the upstream and its answer equals the recorded result exactly: same status
    /// (success or error) and the same output text, compared ordinally.</summary>
    public bool AnsweredAsRecorded => ReachedUpstream && Recorded.Result is { } recorded
        && LiveResults.Status(recorded.Status) == Outcome.Result.Status
        && string.Equals(recorded.Output, Outcome.Result.Output, StringComparison.Ordinal);
}

/// <summary>Maps Keel's tool result status to the API's words (docs/gateway-api.md).</summary>
internal static class LiveResults
{
    public static string Status(ToolResultStatus status) => status switch
    {
        ToolResultStatus.Ok => ApiToolResult.Success,
        ToolResultStatus.Error => ApiToolResult.Error,
        _ => ApiToolResult.NotExecuted,
    };
}
