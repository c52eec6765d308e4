namespace Keel.TauTools.Tools;

/// <summary>What one tool call answered: the text the agent reads, and whether it is an error.</summary>
/// <param name="Text">The result text: JSON (<c>json.dumps</c> style), a plain string such as a user id, or an error
/// starting with <c>"Error: "</c>, exactly as tau-bench's reference environment would answer.</param>
/// <param name="IsError">Whether the call failed (the text starts with <c>"Error: "</c>); an MCP client sees it as a tool error.</param>
public sealed record ToolOutcome(string Text, bool IsError)
{
    /// <summary>A successful result.</summary>
    /// <param name="text">The result text.</param>
    /// <returns>The outcome.</returns>
    public static ToolOutcome Ok(string text) => new(text, false);

    /// <summary>A failed call, reported as tau-bench reports it: <c>"Error: " + message</c>.</summary>
    /// <param name="message">The message without the prefix, e.g. <c>reservation not found</c>.</param>
    /// <returns>The outcome.</returns>
    public static ToolOutcome Error(string message) => new("Error: " + message, true);

    /// <summary>The failure Python raises for a missing dict key (<c>KeyError</c>), which tau-bench's environment reports as <c>Error: 'key'</c>.</summary>
    /// <param name="key">The key that was looked up.</param>
    /// <returns>The outcome.</returns>
    public static ToolOutcome KeyError(string key) => Error(PyText.Repr(key));
}
