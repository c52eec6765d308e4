using System.Text.Json;
using Json.Schema;
using Keel.Model;

namespace Keel.Tools;

/// <summary>Validates tool-call arguments against a tool's JSON Schema (JsonSchema.Net 8, draft-07 semantics, <c>format</c> checked)
/// on the parsed arguments: nothing is parsed again. Thread-safe.</summary>
public sealed class ToolSchemaValidator
{
    private static readonly EvaluationOptions Flag = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };
    private static readonly EvaluationOptions List = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private readonly JsonSchema _schema;

    internal ToolSchemaValidator(JsonSchema schema) => _schema = schema;

    /// <summary>Validates arguments given as JSON text (parsed here; prefer <see cref="Validate(ToolCall)"/>, which reuses the call's parse).</summary>
    /// <param name="argumentsJson">The arguments exactly as the agent sent them.</param>
    /// <returns>The violations, as <see cref="Validate(ToolCall)"/>.</returns>
    public IReadOnlyList<SchemaViolation> Validate(string argumentsJson) => Validate(new ToolCall(string.Empty, string.Empty, argumentsJson ?? string.Empty));

    /// <summary>Validates a call's arguments, using the parse the call already holds (<see cref="ToolCall.TryParseArguments"/>).</summary>
    /// <param name="call">The call.</param>
    /// <returns>The violations, empty when valid; a single <c>malformed_json</c> violation at <c>$</c> when the arguments are not a JSON
    /// object; an <c>invalid</c> violation at each integer beyond the signed 64-bit range (JSON allows them; Keel passes none to a tool),
    /// and then nothing else.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> is <see langword="null"/>.</exception>
    public IReadOnlyList<SchemaViolation> Validate(ToolCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call.TryParseArguments(out var arguments, out var error)
            ? Validate(arguments)
            : [new SchemaViolation("$", "malformed_json", error!)];
    }

    /// <summary>Validates parsed arguments.</summary>
    /// <param name="arguments">The arguments; anything but a JSON object is one <c>malformed_json</c> violation.</param>
    /// <returns>The violations, as <see cref="Validate(ToolCall)"/>.</returns>
    public IReadOnlyList<SchemaViolation> Validate(JsonElement arguments)
    {
        if (arguments.ValueKind != JsonValueKind.Object)
        {
            return [new SchemaViolation("$", "malformed_json", $"arguments must be a JSON object, not {arguments.ValueKind.ToString().ToLowerInvariant()}")];
        }

        var huge = new List<SchemaViolation>();
        CollectBeyondInt64(arguments, "$", huge);
        if (huge.Count > 0)
        {
            return huge;
        }

        // The common case — valid arguments — costs one flag evaluation; the detailed list is built only for a call that fails.
        if (_schema.Evaluate(arguments, Flag).IsValid)
        {
            return [];
        }

        var violations = new List<SchemaViolation>();
        foreach (var result in _schema.Evaluate(arguments, List).Details ?? [])
        {
            if (result.Errors is not { Count: > 0 } errors)
            {
                continue;
            }

            foreach (var (keyword, message) in errors)
            {
                Describe(result, keyword, message, arguments, violations);
            }
        }

        return violations.Count > 0 ? violations : [new SchemaViolation("$", "invalid", "the arguments do not match the tool's schema")];
    }

    private static void Describe(EvaluationResults result, string keyword, string message, JsonElement arguments, List<SchemaViolation> into)
    {
        var pointer = result.InstanceLocation.ToString();
        var path = JsonPointerPath.ToJsonPath(pointer, arguments);
        var field = JsonPointerPath.LastPropertyName(pointer, arguments) ?? path;
        switch (keyword)
        {
            case "required":
                var present = JsonPointerPath.Resolve(arguments, pointer);
                foreach (var name in Quoted(message))
                {
                    if (present is not { ValueKind: JsonValueKind.Object } value || !value.TryGetProperty(name, out _))
                    {
                        into.Add(new SchemaViolation(JsonPointerPath.Append(path, name), "missing_field", $"missing required field '{name}'"));
                    }
                }

                break;
            case "" when result.EvaluationPath.ToString().EndsWith("/additionalProperties", StringComparison.Ordinal):
                into.Add(new SchemaViolation(path, "extra_field", $"unknown field '{field}': the tool does not declare it"));
                break;
            case "type":
                var shouldBe = message.LastIndexOf("should be", StringComparison.Ordinal);
                var expected = shouldBe < 0 ? string.Empty : string.Join(" or ", Quoted(message[shouldBe..]));
                into.Add(new SchemaViolation(path, "wrong_type", $"'{field}' has the wrong type: {(expected.Length > 0 ? expected : "another type")} expected"));
                break;
            case "enum" or "const":
                into.Add(new SchemaViolation(path, "not_in_enum", $"'{field}' is not one of the allowed values"));
                break;
            default:
                into.Add(new SchemaViolation(path, "invalid", $"'{field}' is invalid ({keyword}): {message}"));
                break;
        }
    }

    /// <summary>The quoted names in an evaluation message: JsonSchema.Net 8 lists them as JSON strings, e.g.
    /// <c>Required properties ["a","b"] are not present</c> or <c>Value is "number" but should be "integer"</c>.</summary>
    private static List<string> Quoted(string message)
    {
        var names = new List<string>();
        var at = 0;
        while (message.IndexOf('"', at) is var open and >= 0 && message.IndexOf('"', open + 1) is var close and >= 0)
        {
            names.Add(message[(open + 1)..close]);
            at = close + 1;
        }

        return names;
    }

    private static void CollectBeyondInt64(JsonElement value, string path, List<SchemaViolation> into)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    CollectBeyondInt64(property.Value, JsonPointerPath.Append(path, property.Name), into);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    CollectBeyondInt64(item, $"{path}[{i++}]", into);
                }

                break;
            case JsonValueKind.Number when !value.TryGetInt64(out _) && IsIntegerLiteral(value):
                into.Add(new SchemaViolation(path, "invalid",
                    $"'{path}' is an integer outside the signed 64-bit range (-9223372036854775808 to 9223372036854775807), which Keel does not pass to a tool"));
                break;
        }
    }

    private static bool IsIntegerLiteral(JsonElement number)
    {
        var text = number.GetRawText();
        return text.AsSpan().IndexOfAny('.', 'e', 'E') < 0;
    }
}
