using System.Text.Json;

namespace Keel.Policies.Cel;

/// <summary>Field selection, indexing, <c>has()</c>, <c>in</c> and <c>size()</c> over lists, maps and JSON.</summary>
internal static class CelAccess
{
    /// <summary>
    /// Evaluates <c>operand.field</c>; <paramref name="utf8Field"/> is the field name pre-encoded for
    /// JSON lookups and <paramref name="missing"/> the prebuilt "no such key" error.
    /// </summary>
    public static object? Select(object? operand, string field, byte[] utf8Field, CelError missing)
    {
        switch (operand)
        {
            case IReadOnlyDictionary<string, object?> map:
                return map.TryGetValue(field, out object? value) ? CelValue.Normalize(value) : missing;
            case JsonElement { ValueKind: JsonValueKind.Object } obj:
                return obj.TryGetProperty(utf8Field, out JsonElement property) ? CelValue.FromJson(property) : missing;
            case CelError:
                return operand;
            default:
                return CelErrors.NoSuchOverload($"cannot select field '{field}' from {CelValue.TypeName(operand)}");
        }
    }

    /// <summary>Evaluates <c>operand[key]</c> for lists (int index) and maps (string key).</summary>
    public static object? Index(object? operand, object? key)
    {
        if (CelErrors.First(operand, key) is { } error)
        {
            return error;
        }

        switch (operand)
        {
            case IReadOnlyDictionary<string, object?> map:
                return key is string k && map.TryGetValue(k, out object? value) ? CelValue.Normalize(value) : CelErrors.NoSuchKey(key);
            case JsonElement { ValueKind: JsonValueKind.Object } obj:
                return key is string name && obj.TryGetProperty(name, out JsonElement property) ? CelValue.FromJson(property) : CelErrors.NoSuchKey(key);
            case IReadOnlyList<object?> list:
                return TryGetIndex(key, list.Count, out int i, out CelError? bad) ? CelValue.Normalize(list[i]) : bad;
            case JsonElement { ValueKind: JsonValueKind.Array } array:
                return TryGetIndex(key, array.GetArrayLength(), out int j, out CelError? badJson) ? CelValue.FromJson(array[j]) : badJson;
            default:
                return CelErrors.NoSuchOverload($"{CelValue.TypeName(operand)}[{CelValue.TypeName(key)}]");
        }
    }

    /// <summary>Evaluates the macro <c>has(operand.field)</c>: whether a map or JSON object has the key.</summary>
    public static object? Has(object? operand, string field) => operand switch
    {
        IReadOnlyDictionary<string, object?> map => CelValue.Bool(map.ContainsKey(field)),
        JsonElement { ValueKind: JsonValueKind.Object } obj => CelValue.Bool(obj.TryGetProperty(field, out _)),
        CelError => operand,
        _ => CelErrors.NoSuchOverload($"has() cannot test field '{field}' on {CelValue.TypeName(operand)}"),
    };

    /// <summary>Evaluates <c>item in container</c>: element equality for lists, key presence for maps.</summary>
    public static object? In(object? item, object? container)
    {
        if (CelErrors.First(item, container) is { } error)
        {
            return error;
        }

        switch (container)
        {
            case IReadOnlyDictionary<string, object?> map:
                return CelValue.Bool(item is string key && map.ContainsKey(key));
            case JsonElement { ValueKind: JsonValueKind.Object } obj:
                return CelValue.Bool(item is string name && obj.TryGetProperty(name, out _));
            case IReadOnlyList<object?> list:
                for (int i = 0; i < list.Count; i++)
                {
                    if (CelEquality.ValueEquals(item, CelValue.Normalize(list[i])))
                    {
                        return CelValue.True;
                    }
                }

                return CelValue.False;
            case JsonElement { ValueKind: JsonValueKind.Array } array:
                foreach (JsonElement element in array.EnumerateArray())
                {
                    if (CelEquality.ValueEquals(item, CelValue.FromJson(element)))
                    {
                        return CelValue.True;
                    }
                }

                return CelValue.False;
            case string:
                return CelErrors.NoSuchOverload($"{CelValue.TypeName(item)} in string (use text.contains(part) for substrings)");
            default:
                return CelErrors.Binary("in", item, container);
        }
    }

    /// <summary>Evaluates <c>size(x)</c>: code points of a string, elements of a list, entries of a map.</summary>
    public static object? Size(object? value) => value switch
    {
        string s => CelValue.Int(CelStrings.CodePointCount(s)),
        CelError => value,
        _ when TryCount(value, out int count) => CelValue.Int(count),
        _ => CelErrors.Function("size", value),
    };

    /// <summary>Counts the elements of a list or the entries of a map.</summary>
    public static bool TryCount(object? value, out int count)
    {
        switch (value)
        {
            case IReadOnlyList<object?> list:
                count = list.Count;
                return true;
            case IReadOnlyDictionary<string, object?> map:
                count = map.Count;
                return true;
            case JsonElement { ValueKind: JsonValueKind.Array } array:
                count = array.GetArrayLength();
                return true;
            case JsonElement { ValueKind: JsonValueKind.Object } obj:
                count = 0;
                foreach (JsonProperty unused in obj.EnumerateObject())
                {
                    count++;
                }

                return true;
            default:
                count = 0;
                return false;
        }
    }

    /// <summary>Looks up a key in a map or JSON object without producing an error value.</summary>
    public static bool TryGetField(object? map, string key, out object? value)
    {
        switch (map)
        {
            case IReadOnlyDictionary<string, object?> dictionary when dictionary.TryGetValue(key, out object? raw):
                value = CelValue.Normalize(raw);
                return true;
            case JsonElement { ValueKind: JsonValueKind.Object } obj when obj.TryGetProperty(key, out JsonElement property):
                value = CelValue.FromJson(property);
                return true;
            default:
                value = null;
                return false;
        }
    }

    private static bool TryGetIndex(object? key, int count, out int index, out CelError? error)
    {
        long i;
        if (key is long l)
        {
            i = l;
        }
        else if (key is double d && Math.Floor(d) == d && Math.Abs(d) < 1e15)
        {
            i = (long)d;
        }
        else
        {
            index = 0;
            error = CelErrors.NoSuchOverload($"list[{CelValue.TypeName(key)}] (list indexes are ints)");
            return false;
        }

        if (i < 0 || i >= count)
        {
            index = 0;
            error = new CelError($"index out of range: {i} (list size {count})");
            return false;
        }

        index = (int)i;
        error = null;
        return true;
    }
}
