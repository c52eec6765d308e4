using System.Text.Json.Nodes;

namespace Keel.Otlp;

/// <summary>Rewrites the hex-encoded ids of an OTLP/JSON trace export (<c>traceId</c>, <c>spanId</c>, <c>parentSpanId</c> of spans and
/// links) into base64, the encoding of <c>bytes</c> in the proto3 JSON mapping. OTLP specification, "JSON Protobuf Encoding": "traceId
/// and spanId … MUST be represented as case-insensitive hex-encoded strings".</summary>
internal static class OtlpJsonIds
{
    private static readonly string[] IdFields = ["traceId", "trace_id", "spanId", "span_id", "parentSpanId", "parent_span_id"];

    /// <summary>Rewrites the ids in place.</summary>
    /// <param name="root">The request object.</param>
    /// <returns><see langword="null"/>, or an error naming the JSON path of an id that is not hex.</returns>
    public static string? ToBase64(JsonNode root)
    {
        foreach (var (resource, r) in Items(root, "resourceSpans", "resource_spans"))
        {
            foreach (var (scope, s) in Items(resource, "scopeSpans", "scope_spans"))
            {
                foreach (var (span, i) in Items(scope, "spans", null))
                {
                    var path = $"$.resourceSpans[{r}].scopeSpans[{s}].spans[{i}]";
                    if (Rewrite(span, path) is { } error)
                    {
                        return error;
                    }

                    foreach (var (link, l) in Items(span, "links", null))
                    {
                        if (Rewrite(link, $"{path}.links[{l}]") is { } linkError)
                        {
                            return linkError;
                        }
                    }
                }
            }
        }

        return null;
    }

    private static IEnumerable<(JsonNode Node, int Index)> Items(JsonNode node, string name, string? alternative)
    {
        if (node is JsonObject obj && (obj[name] ?? (alternative is null ? null : obj[alternative])) is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is { } item)
                {
                    yield return (item, i);
                }
            }
        }
    }

    private static string? Rewrite(JsonNode node, string path)
    {
        if (node is not JsonObject obj)
        {
            return null;
        }

        foreach (var field in IdFields)
        {
            if (obj[field] is JsonValue value && value.TryGetValue<string>(out var hex))
            {
                if (hex.Length % 2 != 0 || !IsHex(hex))
                {
                    return $"{path}.{field}: '{Shorten(hex)}' is not a hex-encoded id (OTLP/JSON encodes trace and span ids as hex)";
                }

                obj[field] = Convert.ToBase64String(Convert.FromHexString(hex));
            }
        }

        return null;
    }

    private static bool IsHex(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
