namespace Keel.Model;

/// <summary>The result of a tool call.</summary>
/// <param name="CallId">The <see cref="ToolCall.Id"/> it answers.</param>
/// <param name="Status">How the call ended.</param>
/// <param name="Output">The tool's output text (JSON or plain text) or error text; empty when not executed.</param>
/// <param name="LatencyMs">Wall time of the call in milliseconds; 0 when not measured (audit mode).</param>
public sealed record ToolResult(string CallId, ToolResultStatus Status, string Output, double LatencyMs = 0)
{
    /// <summary>Whether the tool ran and succeeded.</summary>
    public bool IsSuccess => Status == ToolResultStatus.Ok;

    /// <summary>A result for a call that never ran.</summary>
    /// <param name="callId">The call id.</param>
    /// <param name="why">Why it did not run.</param>
    /// <returns>A <see cref="ToolResultStatus.NotExecuted"/> result.</returns>
    public static ToolResult NotExecuted(string callId, string why) => new(callId, ToolResultStatus.NotExecuted, why);
}
