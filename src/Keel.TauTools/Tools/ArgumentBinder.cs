using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.TauTools.Tools;

/// <summary>
/// Checks a call's arguments against the tool's parameter schema before the tool runs, so tool code can read them
/// without further checks.
/// </summary>
/// <remarks>
/// <para>Names: an argument the schema does not declare, or a required one that is missing, fails with the text Python
/// gives when tau-bench passes the arguments to the tool's <c>invoke</c> (<c>invoke() got an unexpected keyword argument
/// 'x'</c>, <c>invoke() missing 1 required positional argument: 'x'</c>), which the reference reports after
/// <c>"Error: "</c>.</para>
/// <para>Types: <c>string</c>, <c>array</c>, <c>object</c> and <c>boolean</c> must match; <c>integer</c> and
/// <c>number</c> accept any JSON number, as the reference does not check them; array items and their required properties
/// are checked too. The reference has no such check (a wrong type fails somewhere inside the tool), so these messages are
/// this server's own: <c>argument 'flights[0].date' must be a string</c>. Enums are not checked: the reference tools
/// check the values they care about themselves, in their own order. Stateless and thread-safe.</para>
/// </remarks>
internal static class ArgumentBinder
{
    public static string? Check(JsonElement schema, JsonObject arguments)
    {
        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        foreach (var (name, _) in arguments)
        {
            if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(name, out _))
            {
                return $"invoke() got an unexpected keyword argument '{name}'";
            }
        }

        var missing = Required(schema).Where(name => !arguments.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            // Python lists missing parameters in signature order, which is the order of the schema's properties.
            var order = properties.ValueKind == JsonValueKind.Object ? properties.EnumerateObject().Select(x => x.Name).ToList() : [];
            missing.Sort((a, b) => order.IndexOf(a).CompareTo(order.IndexOf(b)));
            return $"invoke() missing {missing.Count} required positional argument{(missing.Count == 1 ? "" : "s")}: {JoinNames(missing)}";
        }

        foreach (var (name, value) in arguments)
        {
            if (CheckValue(properties.GetProperty(name), value, name) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string? CheckValue(JsonElement schema, JsonNode? value, string path)
    {
        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : null;
        var kind = value?.GetValueKind();
        var ok = type switch
        {
            "string" => kind == JsonValueKind.String,
            "integer" or "number" => kind == JsonValueKind.Number,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "array" => kind == JsonValueKind.Array,
            "object" => kind == JsonValueKind.Object,
            _ => true,
        };
        if (!ok)
        {
            return $"argument '{path}' must be {Article(type!)}";
        }

        if (value is JsonArray array && schema.TryGetProperty("items", out var items))
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (CheckValue(items, array[i], $"{path}[{i}]") is { } error)
                {
                    return error;
                }
            }
        }

        if (value is JsonObject obj)
        {
            foreach (var name in Required(schema).Where(name => !obj.ContainsKey(name)))
            {
                return $"argument '{path}' is missing '{name}'";
            }

            if (schema.TryGetProperty("properties", out var properties))
            {
                foreach (var property in properties.EnumerateObject())
                {
                    if (obj.TryGetPropertyValue(property.Name, out var member) && CheckValue(property.Value, member, $"{path}.{property.Name}") is { } error)
                    {
                        return error;
                    }
                }
            }
        }

        return null;
    }

    private static IEnumerable<string> Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array
            ? required.EnumerateArray().Select(r => r.GetString()!)
            : [];

    private static string JoinNames(List<string> names) => names.Count switch
    {
        1 => $"'{names[0]}'",
        2 => $"'{names[0]}' and '{names[1]}'",
        _ => string.Join(", ", names.Take(names.Count - 1).Select(n => $"'{n}'")) + $", and '{names[^1]}'",
    };

    private static string Article(string type) => type switch
    {
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "a boolean",
        "array" => "an array",
        _ => "an object",
    };
}
