using System.Globalization;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Keel.Tools;

/// <summary>Validates tool-call arguments against a tool's JSON Schema (NJsonSchema, draft 7 semantics). Thread-safe.</summary>
public sealed class ToolSchemaValidator
{
    // NJsonSchema's JsonSchema.Validate builds a new JsonSchemaValidator on every call; one per thread halves the schema
    // stage (measured in bench/Keel.Benchmarks, docs/benchmarks.md) without sharing a validator across threads.
    [ThreadStatic]
    private static JsonSchemaValidator? t_validator;

    private readonly JsonSchema _schema;

    internal ToolSchemaValidator(JsonSchema schema) => _schema = schema;

    /// <summary>Validates arguments given as JSON text.</summary>
    /// <param name="argumentsJson">The arguments exactly as the agent sent them.</param>
    /// <returns>The violations, empty when valid; a single <c>malformed_json</c> violation when the text is not a JSON object; an
    /// <c>invalid</c> violation at each integer beyond the signed 64-bit range (JSON allows them; Keel passes none to a tool).</returns>
    public IReadOnlyList<SchemaViolation> Validate(string argumentsJson)
    {
        var text = string.IsNullOrWhiteSpace(argumentsJson) ? "{}" : argumentsJson;
        try
        {
            // Strict RFC 8259 first: Newtonsoft alone would accept single quotes, comments and trailing commas.
            using var strict = System.Text.Json.JsonDocument.Parse(text);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return [new SchemaViolation("$", "malformed_json", $"arguments are not valid JSON (line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}): send a JSON object")];
        }

        var token = JToken.Parse(text);

        if (token.Type != JTokenType.Object)
        {
            return [new SchemaViolation("$", "malformed_json", $"arguments must be a JSON object, not {token.Type.ToString().ToLowerInvariant()}")];
        }

        ICollection<ValidationError> errors;
        try
        {
            errors = (t_validator ??= new JsonSchemaValidator()).Validate(token, _schema);
        }
        catch (InvalidCastException) when (BeyondInt64(token) is { Count: > 0 } huge)
        {
            // NJsonSchema reads every number as decimal (then double) and cannot convert the BigInteger that Newtonsoft parses an
            // integer beyond 64 bits into. JSON allows such a number; Keel does not pass one to a tool (most tool runtimes cannot
            // hold it exactly), so the call gets a decision: a violation at each such value.
            return huge;
        }

        if (errors.Count == 0)
        {
            return [];
        }

        var violations = new List<SchemaViolation>(errors.Count);
        Flatten(errors, violations);
        return violations;
    }

    /// <summary>The integers beyond the signed 64-bit range in <paramref name="token"/>, each as an <c>invalid</c> violation at its path.</summary>
    private static List<SchemaViolation> BeyondInt64(JToken token) =>
        [.. (token is JContainer container ? container.DescendantsAndSelf() : [token])
            .Where(t => t is JValue { Type: JTokenType.Integer, Value: System.Numerics.BigInteger })
            .Select(t => new SchemaViolation(FromTokenPath(t.Path), "invalid",
                $"'{FromTokenPath(t.Path)}' is an integer outside the signed 64-bit range (-9223372036854775808 to 9223372036854775807), which Keel does not pass to a tool"))];

    /// <summary>Turns Newtonsoft's token path (<c>flights[0].date</c>, <c>['a b']</c>) into JSONPath (<c>$.flights[0].date</c>).</summary>
    private static string FromTokenPath(string path) =>
        path.Length == 0 ? "$" : path[0] == '[' ? "$" + path : "$." + path;

    private static void Flatten(IEnumerable<ValidationError> errors, List<SchemaViolation> into)
    {
        foreach (var error in errors)
        {
            if (error is ChildSchemaValidationError child && child.Errors.Count > 0)
            {
                foreach (var nested in child.Errors.Values)
                {
                    Flatten(nested, into);
                }

                continue;
            }

            into.Add(Describe(error));
        }
    }

    private static SchemaViolation Describe(ValidationError error)
    {
        var path = ToJsonPath(error.Path);
        var field = error.Property ?? path;
        return error.Kind switch
        {
            ValidationErrorKind.PropertyRequired => new(path, "missing_field", $"missing required field '{field}'"),
            ValidationErrorKind.NoAdditionalPropertiesAllowed => new(path, "extra_field", $"unknown field '{field}': the tool does not declare it"),
            ValidationErrorKind.NotInEnumeration => new(path, "not_in_enum", $"'{field}' is not one of the allowed values"),
            ValidationErrorKind.StringExpected or ValidationErrorKind.IntegerExpected or ValidationErrorKind.NumberExpected
                or ValidationErrorKind.BooleanExpected or ValidationErrorKind.ArrayExpected or ValidationErrorKind.ObjectExpected
                or ValidationErrorKind.NullExpected
                => new(path, "wrong_type", $"'{field}' has the wrong type: {Humanize(error.Kind)}"),
            _ => new(path, "invalid", $"'{field}' is invalid: {Humanize(error.Kind)}"),
        };
    }

    /// <summary>Turns NJsonSchema's <c>#/flights[0].date</c> into JSONPath <c>$.flights[0].date</c>.</summary>
    internal static string ToJsonPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "#")
        {
            return "$";
        }

        var rest = path.StartsWith('#') ? path[1..] : path;
        rest = rest.TrimStart('/');
        return rest.Length == 0 ? "$" : (rest[0] == '[' ? "$" + rest : "$." + rest.Replace('/', '.'));
    }

    private static string Humanize(ValidationErrorKind kind)
    {
        var text = kind.ToString();
        var builder = new System.Text.StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            if (i > 0 && char.IsUpper(text[i]))
            {
                builder.Append(' ');
            }

            builder.Append(char.ToLower(text[i], CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}
