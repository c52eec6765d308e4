using System.Collections;
using System.Text.Json;

namespace Keel.Policies.Cel;

/// <summary>
/// The runtime representation of CEL values: null, bool, long (int), double, string,
/// <see cref="DateTimeOffset"/> (timestamp), <see cref="TimeSpan"/> (duration),
/// <see cref="IReadOnlyList{T}"/> of object (list), <see cref="IReadOnlyDictionary{TKey, TValue}"/>
/// of string to object (map), JSON objects and arrays as <see cref="JsonElement"/>, and <see cref="CelError"/>.
/// </summary>
internal static class CelValue
{
    private const int SmallIntMin = -128;
    private const int SmallIntMax = 1023;

    /// <summary>The boxed <c>true</c> every operator returns, so results do not allocate.</summary>
    public static readonly object True = true;

    /// <summary>The boxed <c>false</c> every operator returns.</summary>
    public static readonly object False = false;

    private static readonly object[] SmallInts = CreateSmallInts();

    public static object Bool(bool value) => value ? True : False;

    /// <summary>Boxes an int, reusing cached boxes for -128..1023.</summary>
    public static object Int(long value)
    {
        ulong index = (ulong)(value - SmallIntMin);
        return index < (ulong)SmallInts.Length ? SmallInts[index] : value;
    }

    /// <summary>
    /// Brings a value from the caller's data into the CEL representation: JSON scalars become
    /// CEL scalars (objects and arrays stay <see cref="JsonElement"/>, read lazily), other CLR
    /// number types widen to long or double, and other collections are copied.
    /// </summary>
    public static object? Normalize(object? value)
    {
        switch (value)
        {
            case null:
            case string:
            case long:
            case bool:
            case double:
            case CelError:
            case DateTimeOffset:
            case TimeSpan:
            case IReadOnlyDictionary<string, object?>:
            case IReadOnlyList<object?>:
                return value;
            case JsonElement element:
                return FromJson(element);
            case int i:
                return Int(i);
            case float f:
                return (double)f;
            case decimal m:
                return (double)m;
            case short or byte or sbyte or ushort or uint:
                return Int(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
            case ulong u:
                return u <= long.MaxValue ? Int((long)u) : (double)u;
            case DateTime dt:
                return dt.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dt, TimeSpan.Zero) : new DateTimeOffset(dt.ToUniversalTime(), TimeSpan.Zero);
            case JsonDocument document:
                return FromJson(document.RootElement);
            case IDictionary dictionary:
                return CopyMap(dictionary);
            case IEnumerable sequence:
                return CopyList(sequence);
            default:
                return value;
        }
    }

    /// <summary>Reads a JSON scalar as a CEL value; objects and arrays are returned as the element itself.</summary>
    public static object? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
            case JsonValueKind.Array:
                return element;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                if (element.TryGetInt64(out long l))
                {
                    return Int(l);
                }

                return element.TryGetDouble(out double d) ? d : new CelError($"JSON number out of range: {element.GetRawText()}");
            case JsonValueKind.True:
                return True;
            case JsonValueKind.False:
                return False;
            default:
                return null;
        }
    }

    /// <summary>Returns the CEL type name used in error messages.</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "null",
        bool => "bool",
        long => "int",
        double => "double",
        string => "string",
        DateTimeOffset => "timestamp",
        TimeSpan => "duration",
        CelError => "error",
        JsonElement { ValueKind: JsonValueKind.Array } => "list",
        JsonElement { ValueKind: JsonValueKind.Object } => "map",
        JsonElement => "json",
        IReadOnlyDictionary<string, object?> => "map",
        IReadOnlyList<object?> => "list",
        _ => value.GetType().Name,
    };

    public static bool IsMap(object? value) =>
        value is IReadOnlyDictionary<string, object?> or JsonElement { ValueKind: JsonValueKind.Object };

    public static bool IsList(object? value) =>
        value is IReadOnlyList<object?> or JsonElement { ValueKind: JsonValueKind.Array };

    private static object CopyMap(IDictionary dictionary)
    {
        var copy = new Dictionary<string, object?>(dictionary.Count, StringComparer.Ordinal);
        foreach (DictionaryEntry entry in dictionary)
        {
            if (entry.Key is not string key)
            {
                return dictionary;
            }

            copy[key] = entry.Value;
        }

        return copy;
    }

    private static object?[] CopyList(IEnumerable sequence)
    {
        var copy = new List<object?>();
        foreach (object? item in sequence)
        {
            copy.Add(item);
        }

        return [.. copy];
    }

    private static object[] CreateSmallInts()
    {
        var values = new object[SmallIntMax - SmallIntMin + 1];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (long)(i + SmallIntMin);
        }

        return values;
    }
}
