using System.Text.Json;

namespace Keel.Tools;

/// <summary>Between JSON Pointer (RFC 6901, <c>/passengers/0/first_name</c>) and the JSONPath Keel names values with
/// (RFC 9535 normalized paths, <c>$.passengers[0].first_name</c>; <c>$['a b']</c> for a name that is not an identifier).</summary>
internal static class JsonPointerPath
{
    /// <summary>Turns a pointer into a JSONPath, reading <paramref name="document"/> to tell an array index from a property named by digits.</summary>
    public static string ToJsonPath(string pointer, JsonElement document)
    {
        var path = "$";
        var current = document;
        foreach (var token in Tokens(pointer))
        {
            if (current.ValueKind == JsonValueKind.Array && int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            {
                path += $"[{index}]";
                current = index < current.GetArrayLength() ? current[index] : default;
            }
            else
            {
                path = Append(path, token);
                current = current.ValueKind == JsonValueKind.Object && current.TryGetProperty(token, out var next) ? next : default;
            }
        }

        return path;
    }

    /// <summary>The name of the property a pointer ends at; <see langword="null"/> when it ends at an array item or the root.</summary>
    public static string? LastPropertyName(string pointer, JsonElement document)
    {
        var tokens = Tokens(pointer).ToList();
        if (tokens.Count == 0)
        {
            return null;
        }

        var parent = Resolve(document, string.Concat(tokens.SkipLast(1).Select(t => "/" + t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal))));
        return parent is { ValueKind: JsonValueKind.Array } ? null : tokens[^1];
    }

    /// <summary>The value a pointer names in <paramref name="document"/>; <see langword="null"/> when there is none.</summary>
    public static JsonElement? Resolve(JsonElement document, string pointer)
    {
        var current = document;
        foreach (var token in Tokens(pointer))
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(token, out var next))
            {
                current = next;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>Appends a property name to a JSONPath: <c>.name</c> for an identifier, <c>['name']</c> otherwise.</summary>
    public static string Append(string path, string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? $"{path}.{name}"
            : $"{path}['{name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}']";

    private static IEnumerable<string> Tokens(string pointer)
    {
        if (string.IsNullOrEmpty(pointer) || pointer == "#")
        {
            yield break;
        }

        foreach (var raw in pointer.TrimStart('#').Split('/').Skip(1))
        {
            yield return raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
        }
    }
}
