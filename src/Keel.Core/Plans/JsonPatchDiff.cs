using System.Buffers;
using System.Text.Json;

namespace Keel.Plans;

/// <summary>
/// The structured diff of a plan: an RFC 6902 JSON Patch (<c>add</c>, <c>remove</c>, <c>replace</c>) that turns one JSON value
/// into another, written deterministically so that the same two values always give the same patch text and digest.
/// </summary>
/// <remarks>
/// <para>Rules (docs/plans.md): objects are compared member by member in ordinal name order — a member only in
/// <c>before</c> is a <c>remove</c>, only in <c>after</c> an <c>add</c> with its whole value, in both a recursion. Arrays are
/// compared <b>by index</b>, not by a longest common subsequence: element <c>i</c> of <c>before</c> against element <c>i</c> of
/// <c>after</c> for every index both have, then an <c>add</c> per extra element of <c>after</c> (ascending index) or a
/// <c>remove</c> per extra element of <c>before</c> (from the end backwards, so each index is still valid when applied). An
/// element inserted at the front of an array therefore shows as a replace of every later element plus one add — longer,
/// but predictable, and exact for the append-only histories of tau-bench records. Any other pair of values that are not
/// equal (<see cref="JsonElement.DeepEquals"/>: numbers by value, as JSON Patch's <c>test</c> compares them) is a
/// <c>replace</c>; a changed root is one <c>replace</c> at path <c>""</c>.</para>
/// <para>Paths are RFC 6901 JSON Pointers: each member name has <c>~</c> written as <c>~0</c> and <c>/</c> as <c>~1</c>; array
/// elements are decimal indexes. Values are written as they appear in the input (numbers keep their text).
/// Stateless and thread-safe.</para>
/// </remarks>
public static partial class JsonPatchDiff
{
    /// <summary>Computes the JSON Patch that turns <paramref name="before"/> into <paramref name="after"/>.</summary>
    /// <param name="before">The value now.</param>
    /// <param name="after">The value the change would leave.</param>
    /// <returns>A JSON array of operations <c>{"op", "path", "value"?}</c> (<c>value</c> on <c>add</c> and <c>replace</c> only);
    /// empty when the values are equal. The element is detached (it owns its memory).</returns>
    /// <exception cref="ArgumentException"><paramref name="before"/> or <paramref name="after"/> holds no JSON value (<c>default(JsonElement)</c>).</exception>
    public static JsonElement Create(JsonElement before, JsonElement after)
    {
        Defined(before, nameof(before));
        Defined(after, nameof(after));
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            Diff(writer, string.Empty, before, after);
            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>Escapes one member name as a JSON Pointer reference token (RFC 6901 §3): <c>~</c> → <c>~0</c>, <c>/</c> → <c>~1</c>.</summary>
    /// <param name="name">The member name.</param>
    /// <returns>The token, e.g. <c>a~1b</c> for <c>a/b</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public static string EscapeToken(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    }

    /// <summary>Reads one reference token back into a member name (RFC 6901 §4: <c>~1</c> → <c>/</c> first, then <c>~0</c> → <c>~</c>).</summary>
    /// <param name="token">The token.</param>
    /// <returns>The member name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is <see langword="null"/>.</exception>
    public static string UnescapeToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
    }

    private static void Diff(Utf8JsonWriter writer, string path, JsonElement before, JsonElement after)
    {
        if (before.ValueKind == JsonValueKind.Object && after.ValueKind == JsonValueKind.Object)
        {
            DiffObjects(writer, path, before, after);
        }
        else if (before.ValueKind == JsonValueKind.Array && after.ValueKind == JsonValueKind.Array)
        {
            DiffArrays(writer, path, before, after);
        }
        else if (!JsonElement.DeepEquals(before, after))
        {
            Write(writer, "replace", path, after);
        }
    }

    private static void DiffObjects(Utf8JsonWriter writer, string path, JsonElement before, JsonElement after)
    {
        var old = Members(before);
        var now = Members(after);
        var names = old.Keys.Union(now.Keys, StringComparer.Ordinal).ToList();
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var at = path + "/" + EscapeToken(name);
            var had = old.TryGetValue(name, out var was);
            var has = now.TryGetValue(name, out var @is);
            if (had && has)
            {
                Diff(writer, at, was, @is);
            }
            else if (has)
            {
                Write(writer, "add", at, @is);
            }
            else
            {
                Write(writer, "remove", at, null);
            }
        }
    }

    private static void DiffArrays(Utf8JsonWriter writer, string path, JsonElement before, JsonElement after)
    {
        var old = before.GetArrayLength();
        var now = after.GetArrayLength();
        var common = Math.Min(old, now);
        for (var i = 0; i < common; i++)
        {
            Diff(writer, Index(path, i), before[i], after[i]);
        }

        for (var i = common; i < now; i++)
        {
            Write(writer, "add", Index(path, i), after[i]);
        }

        for (var i = old - 1; i >= common; i--)
        {
            Write(writer, "remove", Index(path, i), null);
        }
    }

    /// <summary>The members of an object by name; with duplicate names the last wins, as most JSON parsers read them.</summary>
    private static Dictionary<string, JsonElement> Members(JsonElement value)
    {
        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            members[property.Name] = property.Value;
        }

        return members;
    }

    private static string Index(string path, int index) => path + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void Write(Utf8JsonWriter writer, string op, string path, JsonElement? value)
    {
        writer.WriteStartObject();
        writer.WriteString("op", op);
        writer.WriteString("path", path);
        if (value is { } written)
        {
            writer.WritePropertyName("value");
            written.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static void Defined(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The value holds no JSON (default JsonElement); pass a parsed JSON value.", name);
        }
    }
}
