using System.Text.Json;

namespace Keel.Importers;

/// <summary>
/// Typed access to the fields of a run record. Each getter checks the JSON type and throws
/// <see cref="RecordFormatException"/> naming the JSONPath and what was expected, so importers stay strict about
/// structure without repeating the checks. Paths are formatted only when a check fails. Thread-safe.
/// </summary>
internal static class JsonFields
{
    /// <summary>Requires the value at <paramref name="at"/> to be an object.</summary>
    /// <param name="value">The value.</param>
    /// <param name="at">Its path.</param>
    /// <exception cref="RecordFormatException">The value is not an object.</exception>
    public static void RequireObject(JsonElement value, in RecordPath at)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Mismatch(at, null, "an object", value);
        }
    }

    /// <summary>Requires an object property.</summary>
    /// <param name="owner">The object holding the property.</param>
    /// <param name="name">The property name.</param>
    /// <param name="at">The owner's path.</param>
    /// <returns>The object.</returns>
    /// <exception cref="RecordFormatException">The property is absent or not an object.</exception>
    public static JsonElement RequireObject(JsonElement owner, string name, in RecordPath at)
    {
        var value = Get(owner, name);
        return value.ValueKind == JsonValueKind.Object ? value : throw Mismatch(at, name, "an object", value);
    }

    /// <summary>Accepts an object, <c>null</c> or an absent property.</summary>
    /// <param name="owner">The object holding the property.</param>
    /// <param name="name">The property name.</param>
    /// <param name="at">The owner's path.</param>
    /// <param name="value">The object when there is one.</param>
    /// <returns>Whether there is an object.</returns>
    /// <exception cref="RecordFormatException">The property is present but neither an object nor <c>null</c>.</exception>
    public static bool OptionalObject(JsonElement owner, string name, in RecordPath at, out JsonElement value)
    {
        value = Get(owner, name);
        return value.ValueKind switch
        {
            JsonValueKind.Object => true,
            JsonValueKind.Undefined or JsonValueKind.Null => false,
            _ => throw Mismatch(at, name, "an object or null", value),
        };
    }

    /// <summary>Requires a string property.</summary>
    /// <param name="owner">The object holding the property.</param>
    /// <param name="name">The property name.</param>
    /// <param name="at">The owner's path.</param>
    /// <param name="expected">What a valid value looks like, for the error.</param>
    /// <returns>The string.</returns>
    /// <exception cref="RecordFormatException">The property is absent or not a string.</exception>
    public static string RequireString(JsonElement owner, string name, in RecordPath at, string expected = "a string")
    {
        var value = Get(owner, name);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Mismatch(at, name, expected, value);
    }

    /// <summary>Accepts a string, <c>null</c> or an absent property.</summary>
    /// <param name="owner">The object holding the property.</param>
    /// <param name="name">The property name.</param>
    /// <param name="at">The owner's path.</param>
    /// <returns>The string, or <see langword="null"/>.</returns>
    /// <exception cref="RecordFormatException">The property is present but neither a string nor <c>null</c>.</exception>
    public static string? OptionalString(JsonElement owner, string name, in RecordPath at)
    {
        var value = Get(owner, name);
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            _ => throw Mismatch(at, name, "a string or null", value),
        };
    }

    /// <summary>Accepts a string or a number (as its JSON text), <c>null</c> or an absent property; used for ids.</summary>
    /// <param name="owner">The object holding the property.</param>
    /// <param name="name">The property name.</param>
    /// <param name="at">The owner's path.</param>
    /// <returns>The id text, or <see langword="null"/>.</returns>
    /// <exception cref="RecordFormatException">The property is present but not a string, number or <c>null</c>.</exception>
    public static string? OptionalId(JsonElement owner, string name, in RecordPath at)
    {
        var value = Get(owner, name);
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            _ => throw Mismatch(at, name, "a string, a number or null", value),
        };
    }

    /// <summary>Accepts a number, <c>null</c> or an absent property.</summary>
    /// <param name="owner">The object holding the property.</param>
    /// <param name="name">The property name.</param>
    /// <param name="at">The owner's path.</param>
    /// <returns>The number, or <see langword="null"/>.</returns>
    /// <exception cref="RecordFormatException">The property is present but neither a number nor <c>null</c>.</exception>
    public static double? OptionalNumber(JsonElement owner, string name, in RecordPath at)
    {
        var value = Get(owner, name);
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            _ => throw Mismatch(at, name, "a number or null", value),
        };
    }

    /// <summary>Accepts <c>true</c>, <c>false</c>, <c>null</c> or an absent property.</summary>
    /// <param name="owner">The object holding the property.</param>
    /// <param name="name">The property name.</param>
    /// <param name="at">The owner's path.</param>
    /// <returns>The flag, or <see langword="null"/>.</returns>
    /// <exception cref="RecordFormatException">The property is present but neither a boolean nor <c>null</c>.</exception>
    public static bool? OptionalBoolean(JsonElement owner, string name, in RecordPath at)
    {
        var value = Get(owner, name);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            _ => throw Mismatch(at, name, "true, false or null", value),
        };
    }

    /// <summary>Requires an integer property.</summary>
    /// <param name="owner">The object holding the property.</param>
    /// <param name="name">The property name.</param>
    /// <param name="at">The owner's path.</param>
    /// <returns>The integer.</returns>
    /// <exception cref="RecordFormatException">The property is absent or not a 32-bit integer.</exception>
    public static int RequireInt32(JsonElement owner, string name, in RecordPath at)
    {
        var value = Get(owner, name);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw Mismatch(at, name, "an integer", value);
    }

    /// <summary>Requires an array property.</summary>
    /// <param name="owner">The object holding the property.</param>
    /// <param name="name">The property name.</param>
    /// <param name="at">The owner's path.</param>
    /// <returns>The array.</returns>
    /// <exception cref="RecordFormatException">The property is absent or not an array.</exception>
    public static JsonElement RequireArray(JsonElement owner, string name, in RecordPath at)
    {
        var value = Get(owner, name);
        return value.ValueKind == JsonValueKind.Array ? value : throw Mismatch(at, name, "an array", value);
    }

    /// <summary>Accepts an array, <c>null</c> or an absent property.</summary>
    /// <param name="owner">The object holding the property.</param>
    /// <param name="name">The property name.</param>
    /// <param name="at">The owner's path.</param>
    /// <param name="value">The array when there is one.</param>
    /// <returns>Whether there is an array.</returns>
    /// <exception cref="RecordFormatException">The property is present but neither an array nor <c>null</c>.</exception>
    public static bool OptionalArray(JsonElement owner, string name, in RecordPath at, out JsonElement value)
    {
        value = Get(owner, name);
        return value.ValueKind switch
        {
            JsonValueKind.Array => true,
            JsonValueKind.Undefined or JsonValueKind.Null => false,
            _ => throw Mismatch(at, name, "an array or null", value),
        };
    }

    /// <summary>An error saying what was expected at a path and what was found there.</summary>
    /// <param name="at">The owner's path.</param>
    /// <param name="name">The property, or <see langword="null"/> for the owner itself.</param>
    /// <param name="expected">What a valid value looks like.</param>
    /// <param name="found">What is there.</param>
    /// <returns>The exception to throw.</returns>
    public static RecordFormatException Mismatch(in RecordPath at, string? name, string expected, JsonElement found) =>
        new(at.Format(name), $"expected {expected}, found {Describe(found)}");

    private static JsonElement Get(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) ? value : default;

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined => "nothing (the property is missing)",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };
}
