using System.Text.Json;

namespace Keel.Model;

/// <summary>A tool call proposed by an agent.</summary>
/// <remarks>The arguments are parsed at most once per instance: the first <see cref="TryParseArguments"/> (or the edge, through
/// <see cref="WithParsedArguments"/>) keeps the parsed value, and every later reader — the fingerprint, the schema stage, the approval
/// digest, the monitors — reuses it. Equality and hashing consider the positional members only. Thread-safe.</remarks>
/// <param name="Id">The call id assigned by the model or client, e.g. <c>call_oIHa…</c>.</param>
/// <param name="ToolName">The tool the agent asked for.</param>
/// <param name="ArgumentsJson">The arguments exactly as the agent sent them (a JSON object as text; may be malformed).</param>
/// <param name="ParallelIndex">0-based position of the call among the calls of the same assistant turn.</param>
/// <param name="ParallelCount">How many calls the assistant turn proposed at once (1 for a single call).</param>
/// <param name="TurnHasText">Whether the same assistant turn also spoke to the user.</param>
public sealed record ToolCall(string Id, string ToolName, string ArgumentsJson, int ParallelIndex = 0, int ParallelCount = 1, bool TurnHasText = false)
{
    // The parse of ArgumentsJson, tied to the exact string it was made from so that a `with { ArgumentsJson = … }` copy never
    // reuses a stale one. One reference assignment: a race parses twice, never reads half a value.
    private ParsedArguments? _parsed;

    /// <summary>A call whose arguments the caller has already parsed (the HTTP edge): the element is kept, not parsed again.</summary>
    /// <param name="id">The call id.</param>
    /// <param name="toolName">The tool.</param>
    /// <param name="arguments">The arguments, a JSON object whose lifetime outlives the call (a detached or cloned element).</param>
    /// <param name="parallelIndex">0-based position among the calls of the turn.</param>
    /// <param name="parallelCount">How many calls the turn proposed.</param>
    /// <returns>The call; <see cref="ArgumentsJson"/> is the element's raw text.</returns>
    /// <exception cref="ArgumentException"><paramref name="arguments"/> is not a JSON object.</exception>
    public static ToolCall WithParsedArguments(string id, string toolName, JsonElement arguments, int parallelIndex = 0, int parallelCount = 1)
    {
        if (arguments.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"arguments must be a JSON object, not {arguments.ValueKind}", nameof(arguments));
        }

        var text = arguments.GetRawText();
        return new ToolCall(id, toolName, text, parallelIndex, parallelCount) { _parsed = new ParsedArguments(text, arguments, null) };
    }

    /// <summary>Parses <see cref="ArgumentsJson"/> (strict RFC 8259: no comments, trailing commas or single quotes) once per instance;
    /// <see langword="false"/> with a message naming the position when it is not a JSON object. Empty or blank text is <c>{}</c>.</summary>
    /// <param name="arguments">The parsed object (a detached <see cref="JsonElement"/>).</param>
    /// <param name="error">Why the arguments are not a JSON object, e.g. "arguments are not valid JSON (line 1, position 33): send a JSON object".</param>
    /// <returns>Whether the arguments are a JSON object.</returns>
    public bool TryParseArguments(out JsonElement arguments, out string? error)
    {
        var parsed = _parsed;
        if (parsed is null || !ReferenceEquals(parsed.Source, ArgumentsJson))
        {
            parsed = Parse(ArgumentsJson);
            _parsed = parsed;
        }

        arguments = parsed.Arguments;
        error = parsed.Error;
        return error is null;
    }

    /// <inheritdoc />
    public bool Equals(ToolCall? other) =>
        other is not null && Id == other.Id && ToolName == other.ToolName && ArgumentsJson == other.ArgumentsJson
        && ParallelIndex == other.ParallelIndex && ParallelCount == other.ParallelCount && TurnHasText == other.TurnHasText;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, ToolName, ArgumentsJson, ParallelIndex, ParallelCount, TurnHasText);

    private static ParsedArguments Parse(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                ? new ParsedArguments(text, doc.RootElement.Clone(), null)
                : new ParsedArguments(text, default, $"arguments must be a JSON object, not {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}");
        }
        catch (JsonException ex)
        {
            return new ParsedArguments(text, default,
                $"arguments are not valid JSON (line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}): send a JSON object");
        }
    }

    private sealed record ParsedArguments(string Source, JsonElement Arguments, string? Error);
}
