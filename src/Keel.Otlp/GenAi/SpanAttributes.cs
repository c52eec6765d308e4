using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;

namespace Keel.Otlp.GenAi;

/// <summary>Reads OTLP attribute values as text, numbers and JSON.</summary>
internal static class SpanAttributes
{
    public static AnyValue? AttrFind(RepeatedField<KeyValue> attributes, string key)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Key == key)
            {
                return attribute.Value;
            }
        }

        return null;
    }

    /// <summary>A string attribute's text; other scalars in invariant form; arrays and maps as JSON text.</summary>
    public static string? AttrText(RepeatedField<KeyValue> attributes, string key) => AttrFind(attributes, key) is { } value ? AttrText(value) : null;

    public static string? AttrText(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.None => null,
        _ => AttrJson(value)?.ToJsonString(),
    };

    public static long? AttrInteger(RepeatedField<KeyValue> attributes, string key) => AttrFind(attributes, key) switch
    {
        { ValueCase: AnyValue.ValueOneofCase.IntValue } v => v.IntValue,
        { ValueCase: AnyValue.ValueOneofCase.DoubleValue } v => (long)v.DoubleValue,
        { ValueCase: AnyValue.ValueOneofCase.StringValue } v when long.TryParse(v.StringValue, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    /// <summary>The attribute as JSON: a string attribute holding JSON is parsed; structured values (arrays, maps) are converted.</summary>
    public static JsonNode? AttrJson(RepeatedField<KeyValue> attributes, string key) => AttrFind(attributes, key) is { } value ? AttrJson(value) : null;

    public static JsonNode? AttrJson(AnyValue value)
    {
        switch (value.ValueCase)
        {
            case AnyValue.ValueOneofCase.StringValue:
                return ParseOrText(value.StringValue);
            case AnyValue.ValueOneofCase.ArrayValue:
                var array = new JsonArray();
                foreach (var item in value.ArrayValue.Values)
                {
                    array.Add(Structured(item));
                }

                return array;
            case AnyValue.ValueOneofCase.KvlistValue:
                var obj = new JsonObject();
                foreach (var pair in value.KvlistValue.Values)
                {
                    obj[pair.Key] = Structured(pair.Value);
                }

                return obj;
            default:
                return Structured(value);
        }
    }

    private static JsonNode? Structured(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => JsonValue.Create(value.StringValue),
        AnyValue.ValueOneofCase.IntValue => JsonValue.Create(value.IntValue),
        AnyValue.ValueOneofCase.DoubleValue => JsonValue.Create(value.DoubleValue),
        AnyValue.ValueOneofCase.BoolValue => JsonValue.Create(value.BoolValue),
        AnyValue.ValueOneofCase.BytesValue => JsonValue.Create(Convert.ToBase64String(value.BytesValue.Span)),
        AnyValue.ValueOneofCase.ArrayValue or AnyValue.ValueOneofCase.KvlistValue => AttrJson(value),
        _ => null,
    };

    private static JsonNode? ParseOrText(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.Length > 0 && (trimmed[0] == '[' || trimmed[0] == '{'))
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // Not JSON after all: kept as text.
            }
        }

        return JsonValue.Create(text);
    }
}
