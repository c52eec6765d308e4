using System.Text;
using System.Text.Json.Nodes;

namespace Keel.Server.Tests.Fuzz;

/// <summary>Turns a valid request body into the kinds of bad ones an attacker sends: lone surrogate escapes, numbers no integer
/// type holds, wrong types, nesting around and past the depth limit, missing and unknown fields, broken and non-JSON text,
/// invalid UTF-8, bodies over the size limit. Seeded: the same <see cref="Random"/> gives the same bodies.</summary>
internal sealed class BodyMutator(Random random, int maxBodyBytes)
{
    // Raw JSON tokens a node cannot hold; a node carries a marker string that is replaced by the token after serialization.
    private static readonly string[] s_badStrings = ["\\ud800", "\\udc00", "x\\ud83d", "\\ud83dx", "\\udbff\\udbff", "\\ude00\\ud83d", "\\uDFFF"];
    private static readonly string[] s_hugeNumbers =
    [
        "123456789012345678901234567890", "-99999999999999999999", "9223372036854775808", "-9223372036854775809", "1e400", "-1e400",
        "1e-400", "0.1e999999", "18446744073709551616", "79228162514264337593543950336", "4294967296", "2147483648", "-0", "1E+308",
        "3.4028236692093846346337460743176821145e38", "0.00000000000000000000000000000000000001",
    ];

    private readonly List<(string Marker, string Raw)> _raw = [];

    /// <summary>What was done to the last body, for the histogram: the mutation kinds applied, joined by <c>+</c>.</summary>
    public string LastMutation { get; private set; } = "none";

    public byte[] Mutate(JsonNode? body)
    {
        _raw.Clear();
        if (body is null || random.NextDouble() < 0.08)
        {
            return TextMutation(Serialize(body));
        }

        var kinds = new List<string>();
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var kind = random.Next(8);
            kinds.Add(kind switch
            {
                0 => "bad_escape",
                1 => "bad_escape_name",
                2 => "huge_number",
                3 => "wrong_type",
                4 => "deep_nesting",
                5 => "missing_field",
                6 => "unknown_field",
                _ => "random_value",
            });
            body = kind switch
            {
                0 => ReplaceSome(body, _ => Marker(Pick(s_badStrings), quoted: true)),
                1 => RenameSome(body),
                2 => ReplaceSome(body, _ => Marker(Pick(s_hugeNumbers), quoted: false)),
                3 => ReplaceSome(body, WrongType),
                4 => ReplaceSome(body, n => Nest(n, random.Next(55, 80))),
                5 => RemoveSome(body),
                6 => AddUnknown(body),
                _ => ReplaceSome(body, _ => RandomValue(3)),
            } ?? JsonValue.Create("null-root");
        }

        LastMutation = string.Join('+', kinds.Distinct().Order(StringComparer.Ordinal));
        return Encoding.UTF8.GetBytes(Serialize(body));
    }

    public static string SerializeValid(JsonNode? body) => body?.ToJsonString() ?? string.Empty;

    private string Serialize(JsonNode? body)
    {
        var text = body?.ToJsonString() ?? "null";
        foreach (var (marker, raw) in _raw)
        {
            text = text.Replace(marker, raw, StringComparison.Ordinal);
        }

        return text;
    }

    private byte[] TextMutation(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        switch (random.Next(7))
        {
            case 0:
                LastMutation = "truncated";
                return utf8[..random.Next(0, Math.Max(1, utf8.Length))];
            case 1:
                LastMutation = "invalid_utf8";
                var at = random.Next(0, utf8.Length + 1);
                byte[] bad = random.Next(3) switch { 0 => [0xff], 1 => [0xc3], _ => [0xed, 0xa0, 0x80] };
                return [.. utf8[..at], .. bad, .. utf8[at..]];
            case 2:
                LastMutation = "not_json";
                return Encoding.UTF8.GetBytes(Pick(["hello", "{", "}", "[", "<xml/>", "{'a':1}", "{\"a\":1,}", "nul", "NaN", "{\"a\" 1}", "\"\\x\"", "1 2", "\u0000"]));
            case 3:
                LastMutation = "empty";
                return [];
            case 4:
                LastMutation = "too_large";
                return Encoding.UTF8.GetBytes("{\"content\":\"" + new string('a', maxBodyBytes + random.Next(1, 4096)) + "\"}");
            case 5:
                LastMutation = "scalar_root";
                return Encoding.UTF8.GetBytes(Pick(["null", "true", "0", "\"text\"", "[]", "[{}]", "123456789012345678901234567890"]));
            default:
                LastMutation = "duplicate_field";
                return utf8.Length > 1 && utf8[0] == (byte)'{'
                    ? [(byte)'{', .. Encoding.UTF8.GetBytes("\"id\":1,\"id\":\"x\",\"name\":[],"), .. utf8[1..]]
                    : utf8;
        }
    }

    private JsonValue Marker(string raw, bool quoted)
    {
        var marker = $"MARK{_raw.Count}X{random.Next():x}";
        _raw.Add(($"\"{marker}\"", quoted ? $"\"{raw}\"" : raw));
        return JsonValue.Create(marker);
    }

    private JsonNode WrongType(JsonNode? node) => node switch
    {
        JsonObject => Pick<JsonNode>([new JsonArray(), JsonValue.Create("object"), JsonValue.Create(1)]),
        JsonArray => Pick<JsonNode>([new JsonObject(), JsonValue.Create(true)]),
        JsonValue v when v.TryGetValue<string>(out _) => Pick<JsonNode>([JsonValue.Create(42), new JsonArray(1, 2), new JsonObject { ["a"] = 1 }, JsonValue.Create(false)]),
        _ => Pick<JsonNode>([JsonValue.Create("12"), new JsonObject(), new JsonArray()]),
    };

    private static JsonNode Nest(JsonNode? inner, int depth)
    {
        var node = inner?.DeepClone() ?? JsonValue.Create(1);
        for (var i = 0; i < depth; i++)
        {
            node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["a"] = node };
        }

        return node;
    }

    private JsonNode RandomValue(int depth) => random.Next(depth > 0 ? 9 : 6) switch
    {
        0 => JsonValue.Create(random.Next(-1000, 1000)),
        1 => JsonValue.Create(random.NextDouble() * 1e6),
        2 => JsonValue.Create(RandomText(random.Next(0, 20))),
        3 => JsonValue.Create(random.Next(2) == 0),
        4 => JsonValue.Create(long.MaxValue - random.Next(3)),
        5 => JsonValue.Create(RandomText(random.Next(200, 3000))),
        6 => new JsonArray([.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomValue(depth - 1))]),
        _ => new JsonObject(Enumerable.Range(0, random.Next(0, 4)).Select(i => KeyValuePair.Create($"k{i}", (JsonNode?)RandomValue(depth - 1)))),
    };

    public string RandomText(int length)
    {
        const string alphabet = "abcXYZ019 _-/\\\"'{}[]:,.%#?&=\t\n\u00e9\u4e2d\u0000\u001f\u2028";
        var builder = new StringBuilder(length + 2);
        for (var i = 0; i < length; i++)
        {
            if (random.Next(40) == 0)
            {
                builder.Append("\U0001F600");
            }
            else
            {
                builder.Append(alphabet[random.Next(alphabet.Length)]);
            }
        }

        return builder.ToString();
    }

    private JsonNode? ReplaceSome(JsonNode body, Func<JsonNode?, JsonNode?> replace)
    {
        var nodes = All(body);
        var target = nodes[random.Next(nodes.Count)];
        if (target.Parent is null)
        {
            return replace(target);
        }

        Replace(target, replace(target.DeepClone()));
        return body;
    }

    private static void Replace(JsonNode target, JsonNode? replacement)
    {
        switch (target.Parent)
        {
            case JsonObject parent:
                parent[target.GetPropertyName()] = replacement;
                break;
            case JsonArray array:
                array[target.GetElementIndex()] = replacement;
                break;
        }
    }

    private JsonNode RenameSome(JsonNode body)
    {
        var objects = All(body).OfType<JsonObject>().Where(o => o.Count > 0).ToList();
        if (objects.Count == 0)
        {
            return body;
        }

        var target = objects[random.Next(objects.Count)];
        var name = target.ElementAt(random.Next(target.Count)).Key;
        var value = target[name]?.DeepClone();
        target.Remove(name);
        var marker = $"MARK{_raw.Count}N{random.Next():x}";
        _raw.Add(($"\"{marker}\"", $"\"{name}{Pick(s_badStrings)}\""));
        target[marker] = value;
        return body;
    }

    private JsonNode RemoveSome(JsonNode body)
    {
        var objects = All(body).OfType<JsonObject>().Where(o => o.Count > 0).ToList();
        if (objects.Count > 0)
        {
            var target = objects[random.Next(objects.Count)];
            target.Remove(target.ElementAt(random.Next(target.Count)).Key);
        }

        return body;
    }

    private JsonNode AddUnknown(JsonNode body)
    {
        var objects = All(body).OfType<JsonObject>().ToList();
        if (objects.Count > 0)
        {
            objects[random.Next(objects.Count)][Pick(["zzz", "extra", "__proto__", "Id", "ID", "constructor", "a b", "é", ""]) + random.Next(3)] = RandomValue(2);
        }

        return body;
    }

    private static List<JsonNode> All(JsonNode root)
    {
        var all = new List<JsonNode>();
        var stack = new Stack<JsonNode>([root]);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            all.Add(node);
            IEnumerable<JsonNode?> children = node switch
            {
                JsonObject o => o.Select(p => p.Value),
                JsonArray a => a,
                _ => [],
            };
            foreach (var child in children)
            {
                if (child is not null)
                {
                    stack.Push(child);
                }
            }
        }

        return all;
    }

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];
}
