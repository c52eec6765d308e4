namespace Keel.Model;

/// <summary>The result of a tool call.</summary>
/// <param name="CallId">The <see cref="ToolCall.Id"/> it answers.</param>
/// <param name="Status">How the call ended.</param>
/// <param name="Output">The tool's output text (JSON or plain text) or error text; empty when not executed.</param>
/// <param name="LatencyMs">Wall time of the call in milliseconds; 0 when not measured (audit mode).</param>
public sealed record ToolResult(string CallId, ToolResultStatus Status, string Output, double LatencyMs = 0)
{
    /// <summary>What kind of error an <see cref="ToolResultStatus.Error"/> result is, when the executor knows it; the default,
    /// <see cref="ToolErrorKind.Unclassified"/>, leaves it to the rules on the error text. Not written when unclassified.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public ToolErrorKind ErrorKind { get; init; }

    /// <summary>Whether the tool ran and succeeded.</summary>
    public bool IsSuccess => Status == ToolResultStatus.Ok;

    /// <summary>A result for a call that never ran.</summary>
    /// <param name="callId">The call id.</param>
    /// <param name="why">Why it did not run.</param>
    /// <returns>A <see cref="ToolResultStatus.NotExecuted"/> result.</returns>
    public static ToolResult NotExecuted(string callId, string why) => new(callId, ToolResultStatus.NotExecuted, why);

    /// <summary>An error result whose kind the executor knows.</summary>
    /// <param name="callId">The call id.</param>
    /// <param name="kind">The kind of error.</param>
    /// <param name="message">The error text, free of secrets, e.g. <c>Error: upstream tool server 'tau' is unavailable</c>.</param>
    /// <param name="latencyMs">Wall time in milliseconds; 0 when not measured.</param>
    /// <returns>A <see cref="ToolResultStatus.Error"/> result with <see cref="ErrorKind"/> set.</returns>
    public static ToolResult Failed(string callId, ToolErrorKind kind, string message, double latencyMs = 0) =>
        new(callId, ToolResultStatus.Error, message, latencyMs) { ErrorKind = kind };
}
