using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.Importers;

/// <summary>
/// Converts a BFCL function's <c>parameters</c> (the Berkeley Function-Calling Leaderboard's schema dialect) into JSON Schema
/// that <see cref="Tools.ToolSchemaValidator"/> checks. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// <para>Type mapping (the dialect's Python types, <c>bfcl_eval/eval_checker/ast_eval/ast_checker.py</c>,
/// <c>PYTHON_TYPE_MAPPING</c>):</para>
/// <list type="table">
/// <listheader><term>BFCL</term><description>JSON Schema</description></listheader>
/// <item><term><c>dict</c></term><description><c>object</c></description></item>
/// <item><term><c>float</c></term><description><c>number</c>: integers are accepted. BFCL's checker converts an int to float for
/// a <c>float</c> parameter; inside an array it compares item types strictly, but then accepts an int item when the answer key
/// writes that value as an int (<c>parallel_multiple_195</c> is labelled valid with <c>[0, 5]</c> for an array of floats,
/// <c>simple_python_13</c> is <c>type_error:nested</c> with <c>[1, 3]</c>), so that rule depends on the answer key and no
/// key-free check can reproduce it. JSON has one number type; Keel accepts integers wherever a float is declared.</description></item>
/// <item><term><c>tuple</c></term><description><c>array</c> (the checker treats tuples as lists)</description></item>
/// <item><term><c>any</c></term><description>no type constraint (the checker maps it to <c>str</c> but accepts any value whose
/// type matches the answer key)</description></item>
/// <item><term><c>string</c>, <c>integer</c>, <c>boolean</c>, <c>array</c></term><description>unchanged; so are the JSON Schema
/// names <c>object</c>, <c>number</c>, <c>null</c></description></item>
/// </list>
/// <para>Structure: <c>properties</c>, <c>items</c> (a schema or a list of positional schemas) and a schema-valued
/// <c>additionalProperties</c> are converted recursively. An <c>enum</c> of scalars on an array-typed schema lists the allowed
/// item values (<c>live_simple_71-35-0</c>: <c>metrics</c> is an array with <c>enum: ["favorability", ...]</c>); it moves to
/// <c>items</c>, since as written no array could ever equal a string. Every other keyword (<c>description</c>, <c>default</c>,
/// <c>required</c>, <c>enum</c>, <c>format</c>, <c>minItems</c>, BFCL's own <c>optional</c>) is kept as is.</para>
/// </remarks>
internal static class BfclSchemaConverter
{
    /// <summary>The BFCL type names this converter knows, with their JSON Schema name (<see langword="null"/>: no constraint).</summary>
    public static readonly IReadOnlyDictionary<string, string?> TypeMap = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["dict"] = "object",
        ["float"] = "number",
        ["tuple"] = "array",
        ["any"] = null,
        ["string"] = "string",
        ["integer"] = "integer",
        ["boolean"] = "boolean",
        ["array"] = "array",
        ["object"] = "object",
        ["number"] = "number",
        ["null"] = "null",
    };

    /// <summary>Converts one function's parameter schema.</summary>
    /// <param name="parameters">The BFCL <c>parameters</c> value; <see langword="null"/> or absent means "no parameters".</param>
    /// <param name="at">JSONPath of <paramref name="parameters"/> in its file, for errors, e.g. <c>$.function[0].parameters</c>.</param>
    /// <returns>A new JSON Schema object (the input is not changed).</returns>
    /// <exception cref="RecordFormatException">A schema is not an object, a type is unknown, or <c>properties</c> / <c>required</c> has the wrong shape; the JSONPath names the value.</exception>
    public static JsonObject Convert(JsonNode? parameters, string at)
    {
        if (parameters is null)
        {
            return new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
        }

        return ConvertSchema(parameters, at);
    }

    private static JsonObject ConvertSchema(JsonNode? node, string at)
    {
        if (node is not JsonObject source)
        {
            throw new RecordFormatException(at, $"expected a schema object, found {Describe(node)}");
        }

        var schema = new JsonObject();
        foreach (var (key, value) in source)
        {
            schema[key] = key switch
            {
                "type" => ConvertType(value, $"{at}.type"),
                "properties" => ConvertProperties(value, $"{at}.properties"),
                "items" => ConvertItems(value, $"{at}.items"),
                "additionalProperties" when value is JsonObject => ConvertSchema(value, $"{at}.additionalProperties"),
                "required" => CheckRequired(value, $"{at}.required"),
                _ => value?.DeepClone(),
            };
        }

        if (schema["type"] is null)
        {
            // "any" (or an explicit null type) means no constraint: drop the keyword rather than keep a null.
            schema.Remove("type");
        }

        MoveArrayEnumToItems(schema);
        return schema;
    }

    private static JsonNode? ConvertType(JsonNode? value, string at)
    {
        switch (value)
        {
            case JsonValue text when text.TryGetValue<string>(out var name):
                return TypeMap.TryGetValue(name, out var mapped)
                    ? (mapped is null ? null : JsonValue.Create(mapped))
                    : throw new RecordFormatException(at, $"unknown BFCL type '{name}'; known types: {string.Join(", ", TypeMap.Keys)}");
            case JsonArray names:
                var result = new JsonArray();
                for (var i = 0; i < names.Count; i++)
                {
                    var converted = ConvertType(names[i], $"{at}[{i}]");
                    if (converted is null)
                    {
                        return null; // "any" among the alternatives: no constraint
                    }

                    result.Add(converted);
                }

                return result;
            default:
                throw new RecordFormatException(at, $"expected a type name or a list of type names, found {Describe(value)}");
        }
    }

    private static JsonObject ConvertProperties(JsonNode? value, string at)
    {
        if (value is not JsonObject properties)
        {
            throw new RecordFormatException(at, $"expected an object of parameter schemas, found {Describe(value)}");
        }

        var converted = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            converted[name] = ConvertSchema(schema, $"{at}.{name}");
        }

        return converted;
    }

    private static JsonNode ConvertItems(JsonNode? value, string at)
    {
        if (value is JsonArray positional)
        {
            var converted = new JsonArray();
            for (var i = 0; i < positional.Count; i++)
            {
                converted.Add(ConvertSchema(positional[i], $"{at}[{i}]"));
            }

            return converted;
        }

        return ConvertSchema(value, at);
    }

    private static JsonNode CheckRequired(JsonNode? value, string at)
    {
        if (value is JsonArray names && names.All(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String))
        {
            return names.DeepClone();
        }

        throw new RecordFormatException(at, $"expected a list of parameter names, found {Describe(value)}");
    }

    private static void MoveArrayEnumToItems(JsonObject schema)
    {
        if (schema["type"] is not JsonValue type || type.GetValue<string>() != "array" || schema["enum"] is not JsonArray values
            || values.Any(v => v is not JsonValue))
        {
            return;
        }

        if (schema["items"] is JsonObject { } items)
        {
            if (items.ContainsKey("enum"))
            {
                return;
            }
        }
        else
        {
            items = new JsonObject();
            schema["items"] = items;
        }

        schema.Remove("enum");
        items["enum"] = values;
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => $"the string \"{v.GetValue<string>()}\"",
            JsonValueKind.Number => $"the number {v.ToJsonString()}",
            _ => v.ToJsonString(),
        },
        _ => node.ToJsonString(),
    };
}
