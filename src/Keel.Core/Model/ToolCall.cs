using System.Text.Json;

namespace Keel.Model;

/// <summary>A tool call proposed by an agent.</summary>
/// <param name="Id">The call id assigned by the model or client, e.g. <c>call_oIHa…</c>.</param>
/// <param name="ToolName">The tool the agent asked for.</param>
/// <param name="ArgumentsJson">The arguments exactly as the agent sent them (a JSON object as text; may be malformed).</param>
/// <param name="ParallelIndex">0-based position of the call among the calls of the same assistant turn.</param>
/// <param name="ParallelCount">How many calls the assistant turn proposed at once (1 for a single call).</param>
/// <param name="TurnHasText">Whether the same assistant turn also spoke to the user.</param>
public sealed record ToolCall(string Id, string ToolName, string ArgumentsJson, int ParallelIndex = 0, int ParallelCount = 1, bool TurnHasText = false)
{
    /// <summary>Parses <see cref="ArgumentsJson"/>; <see langword="false"/> with a message naming the position when it is not a JSON object.</summary>
    /// <param name="arguments">The parsed object (a detached <see cref="JsonElement"/>).</param>
    /// <param name="error">The parse error, e.g. "arguments are not valid JSON: 'x' is invalid after a value. LineNumber: 0 | BytePositionInLine: 12."</param>
    /// <returns>Whether the arguments are a JSON object.</returns>
    public bool TryParseArguments(out JsonElement arguments, out string? error)
    {
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(ArgumentsJson) ? "{}" : ArgumentsJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                arguments = default;
                error = $"arguments must be a JSON object, not {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}";
                return false;
            }

            arguments = doc.RootElement.Clone();
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            arguments = default;
            error = $"arguments are not valid JSON: {ex.Message}";
            return false;
        }
    }
}
