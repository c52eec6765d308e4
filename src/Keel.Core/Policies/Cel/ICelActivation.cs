namespace Keel.Policies.Cel;

/// <summary>
/// Supplies the top-level variables (such as <c>args</c>, <c>facts</c> and <c>now</c>) a
/// <see cref="CelProgram"/> reads while it evaluates.
/// </summary>
/// <remarks>
/// Values may be null, bool, any CLR integer or floating-point number, string,
/// <see cref="DateTimeOffset"/>, <see cref="TimeSpan"/>, <see cref="IReadOnlyList{T}"/> of object,
/// <see cref="IReadOnlyDictionary{TKey, TValue}"/> of string to object, or
/// <see cref="System.Text.Json.JsonElement"/> (read lazily). Implementations must be safe to call
/// from the thread that evaluates; a program may be evaluated on many threads at once, each with
/// its own activation.
/// </remarks>
public interface ICelActivation
{
    /// <summary>Looks up a top-level variable by name.</summary>
    /// <param name="name">The identifier as written in the expression, e.g. <c>args</c>.</param>
    /// <param name="value">The value when found.</param>
    /// <returns>True if the variable exists (its value may be null); false makes the reference an error value.</returns>
    bool TryGetVariable(string name, out object? value);
}
