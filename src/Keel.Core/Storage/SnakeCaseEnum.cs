using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Storage;

/// <summary>The snake_case names of an enum's members (<c>AwaitingApproval</c> → <c>awaiting_approval</c>), as written in JSON and in store columns.</summary>
/// <typeparam name="TEnum">The enum type.</typeparam>
/// <remarks>Thread-safe: the tables are built once per enum type and never change.</remarks>
internal static class SnakeCaseEnum<TEnum>
    where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<TEnum, string> s_names = Enum.GetValues<TEnum>()
        .ToFrozenDictionary(value => value, value => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString()));

    private static readonly FrozenDictionary<string, TEnum> s_values = s_names
        .ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>The snake_case name of a defined member.</summary>
    /// <param name="value">The member.</param>
    /// <returns>Its name, e.g. <c>tool_call</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not a defined member.</exception>
    public static string Name(TEnum value) =>
        s_names.TryGetValue(value, out var name)
            ? name
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{value} is not a defined {typeof(TEnum).Name}.");

    /// <summary>Looks up a member by its snake_case name (exact, case-sensitive).</summary>
    /// <param name="name">The name, e.g. <c>tool_call</c>.</param>
    /// <param name="value">The member when found.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string name, out TEnum value) => s_values.TryGetValue(name, out value);
}

/// <summary>Writes and reads enum values as snake_case strings (integers are refused), for the source-generated <see cref="KeelJsonContext"/>.</summary>
/// <typeparam name="TEnum">The enum type.</typeparam>
internal sealed class SnakeCaseEnumConverter<TEnum> : JsonStringEnumConverter<TEnum>
    where TEnum : struct, Enum
{
    /// <summary>Creates the converter with <see cref="JsonNamingPolicy.SnakeCaseLower"/> and integer values refused.</summary>
    public SnakeCaseEnumConverter()
        : base(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    {
    }
}
