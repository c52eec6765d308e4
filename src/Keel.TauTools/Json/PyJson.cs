using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.TauTools.Json;

/// <summary>
/// Reads JSON into mutable nodes the way Python's <c>json.loads</c> builds dicts, and writes nodes the way
/// <c>json.dumps</c> does with its defaults, so tool results are byte-equal to tau-bench's reference environment.
/// </summary>
/// <remarks>
/// <para>Reading: objects keep key order, a repeated key keeps its first position and its last value (as a Python dict);
/// a number with a fraction or exponent becomes a <c>double</c> node (a Python float), any other number a <c>long</c>
/// node (a Python int; one beyond 64 bits is refused with <see cref="JsonException"/>).</para>
/// <para>Writing (<c>json.dumps(obj)</c>): separators <c>", "</c> and <c>": "</c>, keys in insertion order, every
/// character outside printable ASCII escaped as <c>\uXXXX</c> (<c>ensure_ascii=True</c>), floats as Python's
/// <c>repr</c> (<c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> for the non-finite ones).</para>
/// Stateless and thread-safe.
/// </remarks>
public static class PyJson
{
    private static readonly JsonDocumentOptions _documentOptions = new() { MaxDepth = 64 };

    /// <summary>Parses UTF-8 JSON text into nodes with Python's number kinds.</summary>
    /// <param name="utf8">The JSON text.</param>
    /// <returns>The root node; null for the JSON literal <c>null</c>.</returns>
    /// <exception cref="JsonException">The text is not valid JSON, or holds an integer beyond 64 bits.</exception>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = _documentOptions.MaxDepth });
        if (!reader.Read())
        {
            throw new JsonException("the JSON text is empty");
        }

        var root = ReadValue(ref reader);
        if (reader.Read())
        {
            throw new JsonException($"unexpected text after the JSON value at byte {reader.TokenStartIndex}");
        }

        return root;
    }

    /// <summary>Converts a parsed JSON element into nodes with Python's number kinds.</summary>
    /// <param name="element">The element, e.g. one MCP tool argument.</param>
    /// <returns>The node; null for JSON <c>null</c>.</returns>
    /// <exception cref="JsonException">The element holds an integer beyond 64 bits.</exception>
    public static JsonNode? FromElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => FromObject(element),
        JsonValueKind.Array => new JsonArray([.. element.EnumerateArray().Select(FromElement)]),
        JsonValueKind.String => JsonValue.Create(element.GetString()!),
        JsonValueKind.Number => ReadNumber(element.GetRawText()).ToNode(),
        JsonValueKind.True => JsonValue.Create(true),
        JsonValueKind.False => JsonValue.Create(false),
        _ => null,
    };

    /// <summary>Writes a node as Python's <c>json.dumps(node)</c> would.</summary>
    /// <param name="node">The node; null writes <c>null</c>.</param>
    /// <returns>The JSON text.</returns>
    public static string Dumps(JsonNode? node)
    {
        var text = new StringBuilder(256);
        Write(text, node);
        return text.ToString();
    }

    /// <summary>Reads a number node as a Python number.</summary>
    /// <param name="node">A node holding a JSON number.</param>
    /// <returns>The number, or null when the node is not a number.</returns>
    public static PyNumber? AsNumber(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        // A value read by JsonNode.Parse keeps its JSON text: its kind comes from the text, as in Python's json module.
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return element.ValueKind == JsonValueKind.Number ? ReadNumber(element.GetRawText()) : null;
        }

        if (value.TryGetValue<long>(out var l))
        {
            return PyNumber.OfInt(l);
        }

        if (value.TryGetValue<int>(out var i))
        {
            return PyNumber.OfInt(i);
        }

        if (value.TryGetValue<double>(out var d))
        {
            return PyNumber.OfFloat(d);
        }

        return null;
    }

    private static JsonObject FromObject(JsonElement element)
    {
        var obj = new JsonObject();
        foreach (var property in element.EnumerateObject())
        {
            obj[property.Name] = FromElement(property.Value);
        }

        return obj;
    }

    private static JsonNode? ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new JsonObject();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var key = reader.GetString()!;
                    reader.Read();
                    obj[key] = ReadValue(ref reader);
                }

                return obj;
            case JsonTokenType.StartArray:
                var array = new JsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Add(ReadValue(ref reader));
                }

                return array;
            case JsonTokenType.String:
                return JsonValue.Create(reader.GetString()!);
            case JsonTokenType.Number:
                return ReadNumber(Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan)).ToNode();
            case JsonTokenType.True:
                return JsonValue.Create(true);
            case JsonTokenType.False:
                return JsonValue.Create(false);
            case JsonTokenType.Null:
                return null;
            default:
                throw new JsonException($"unexpected JSON token {reader.TokenType} at byte {reader.TokenStartIndex}");
        }
    }

    private static PyNumber ReadNumber(string raw)
    {
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') >= 0)
        {
            return PyNumber.OfFloat(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? PyNumber.OfInt(value)
            : throw new JsonException($"the integer {raw} does not fit in 64 bits");
    }

    private static void Write(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in obj)
                {
                    text.Append(first ? "" : ", ");
                    first = false;
                    WriteString(text, key);
                    text.Append(": ");
                    Write(text, value);
                }

                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    text.Append(i == 0 ? "" : ", ");
                    Write(text, array[i]);
                }

                text.Append(']');
                break;
            case JsonValue value:
                WriteValue(text, value);
                break;
        }
    }

    private static void WriteValue(StringBuilder text, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(text, value.GetValue<string>());
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            case JsonValueKind.Number:
                var number = AsNumber(value)!.Value;
                text.Append(number.IsFloat && !double.IsFinite(number.AsDouble)
                    ? (double.IsNaN(number.AsDouble) ? "NaN" : number.AsDouble > 0 ? "Infinity" : "-Infinity")
                    : number.ToString());
                break;
            default:
                text.Append("null");
                break;
        }
    }

    private static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c is >= ' ' and <= '~')
                    {
                        text.Append(c);
                    }
                    else
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }

                    break;
            }
        }

        text.Append('"');
    }
}
