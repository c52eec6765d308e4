using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.Plans;

/// <summary>Applying a patch made by <see cref="Create"/>, and resolving JSON Pointers.</summary>
public static partial class JsonPatchDiff
{
    /// <summary>Applies a JSON Patch of <c>add</c>, <c>remove</c> and <c>replace</c> operations (RFC 6902 §4.1–4.3) to a value, in order.</summary>
    /// <param name="document">The value to patch; it is not changed.</param>
    /// <param name="patch">A JSON array of operations, e.g. one made by <see cref="Create"/>.</param>
    /// <returns>The patched value (detached). <c>Apply(before, Create(before, after))</c> equals <c>after</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="document"/> holds no JSON value, or <paramref name="patch"/> is not an array
    /// of operations with a string <c>op</c> among <c>add</c>, <c>remove</c>, <c>replace</c>, a string <c>path</c> that is a JSON Pointer,
    /// and a <c>value</c> where the operation needs one (<c>move</c>, <c>copy</c> and <c>test</c> are not supported: <see cref="Create"/>
    /// never writes them).</exception>
    /// <exception cref="InvalidOperationException">An operation's path does not exist in the value being patched (RFC 6902 §5: the
    /// whole patch fails); the message names the operation's index and path.</exception>
    public static JsonElement Apply(JsonElement document, JsonElement patch)
    {
        Defined(document, nameof(document));
        if (patch.ValueKind != JsonValueKind.Array)
        {
            throw new ArgumentException($"A JSON Patch is an array of operations, not {patch.ValueKind.ToString().ToLowerInvariant()}.", nameof(patch));
        }

        var root = JsonNode.Parse(document.GetRawText());
        var index = 0;
        foreach (var operation in patch.EnumerateArray())
        {
            var (op, path, value, error) = Read(operation, index);
            if (error is not null)
            {
                throw new ArgumentException(error, nameof(patch));
            }

            root = ApplyOne(root, op, path, value, index);
            index++;
        }

        using var result = JsonDocument.Parse(root?.ToJsonString() ?? "null");
        return result.RootElement.Clone();
    }

    /// <summary>Finds the value a JSON Pointer (RFC 6901) refers to.</summary>
    /// <param name="root">The document.</param>
    /// <param name="pointer">The pointer, <c>""</c> for the whole document.</param>
    /// <param name="value">The value found.</param>
    /// <returns>Whether the pointer refers to a value of <paramref name="root"/>.</returns>
    internal static bool TryResolve(JsonElement root, string pointer, out JsonElement value)
    {
        value = root;
        if (pointer.Length == 0)
        {
            return true;
        }

        if (pointer[0] != '/')
        {
            return false;
        }

        foreach (var token in pointer[1..].Split('/'))
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object when value.TryGetProperty(UnescapeToken(token), out var member):
                    value = member;
                    break;
                case JsonValueKind.Array when ArrayIndex(token) is { } i && i < value.GetArrayLength():
                    value = value[i];
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>Reads one operation; <c>Error</c> names what is wrong with it.</summary>
    private static (string Op, string Path, JsonNode? Value, string? Error) Read(JsonElement operation, int index)
    {
        if (operation.ValueKind != JsonValueKind.Object
            || !operation.TryGetProperty("op", out var op) || op.ValueKind != JsonValueKind.String
            || !operation.TryGetProperty("path", out var path) || path.ValueKind != JsonValueKind.String)
        {
            return (string.Empty, string.Empty, null, $"Operation {index} of the patch is not an object with string \"op\" and \"path\".");
        }

        var name = op.GetString()!;
        var pointer = path.GetString()!;
        if (pointer.Length > 0 && pointer[0] != '/')
        {
            return (string.Empty, string.Empty, null, $"Operation {index} has path '{pointer}', which is not a JSON Pointer: start it with '/' (or use \"\" for the whole value).");
        }

        if (name is not ("add" or "remove" or "replace"))
        {
            return (string.Empty, string.Empty, null, $"Operation {index} is '{name}'; only add, remove and replace are supported.");
        }

        if (name != "remove" && !operation.TryGetProperty("value", out _))
        {
            return (string.Empty, string.Empty, null, $"Operation {index} ({name} {pointer}) has no \"value\".");
        }

        var value = name == "remove" ? null : JsonNode.Parse(operation.GetProperty("value").GetRawText());
        return (name, pointer, value, null);
    }

    private static JsonNode? ApplyOne(JsonNode? root, string op, string path, JsonNode? value, int index)
    {
        if (path.Length == 0)
        {
            return op == "remove" ? throw Missing(index, op, path, "the whole value cannot be removed") : value;
        }

        var tokens = path[1..].Split('/');
        var parent = root;
        for (var i = 0; i < tokens.Length - 1; i++)
        {
            parent = Child(parent, tokens[i]) ?? throw Missing(index, op, path, $"'/{string.Join('/', tokens[..(i + 1)])}' does not exist");
        }

        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj:
                var name = UnescapeToken(last);
                if (op != "add" && !obj.ContainsKey(name))
                {
                    throw Missing(index, op, path, "the member does not exist");
                }

                if (op == "remove")
                {
                    obj.Remove(name);
                }
                else
                {
                    obj[name] = value;
                }

                break;
            case JsonArray array:
                var at = last == "-" && op == "add" ? array.Count : ArrayIndex(last) ?? throw Missing(index, op, path, $"'{last}' is not an array index");
                if (at > array.Count || (op != "add" && at == array.Count))
                {
                    throw Missing(index, op, path, $"index {at} is past the end of the array (length {array.Count})");
                }

                if (op != "add")
                {
                    array.RemoveAt(at);
                }

                if (op != "remove")
                {
                    array.Insert(at, value);
                }

                break;
            default:
                throw Missing(index, op, path, "its parent is not an object or array");
        }

        return root;
    }

    private static JsonNode? Child(JsonNode? node, string token) => node switch
    {
        JsonObject obj => obj[UnescapeToken(token)],
        JsonArray array when ArrayIndex(token) is { } i && i < array.Count => array[i],
        _ => null,
    };

    /// <summary>An RFC 6901 array index: <c>0</c> or digits without a leading zero.</summary>
    private static int? ArrayIndex(string token) =>
        token.Length > 0 && (token == "0" || token[0] != '0') && token.All(char.IsAsciiDigit)
        && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;

    private static InvalidOperationException Missing(int index, string op, string path, string why) =>
        new($"Operation {index} ({op} {path}) cannot be applied: {why}.");
}
