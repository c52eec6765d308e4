using System.Text.Json.Nodes;
using Keel.TauTools.Json;

namespace Keel.TauTools.Tools;

/// <summary>The arguments of one tool call, already checked against the tool's schema by <see cref="ArgumentBinder"/>.</summary>
/// <remarks>Values are the call's own nodes (numbers keep their int or float kind); a tool that stores one in the
/// database stores these nodes, as the reference stores the argument objects. Not thread-safe.</remarks>
public sealed class ToolArguments
{
    private readonly JsonObject _values;

    internal ToolArguments(JsonObject values) => _values = values;

    /// <summary>A string argument.</summary>
    /// <param name="name">The argument name.</param>
    /// <returns>The value.</returns>
    public string Text(string name) => _values[name]!.GetValue<string>();

    /// <summary>Whether the call has a string argument of this name.</summary>
    /// <param name="name">The argument name.</param>
    /// <returns><see langword="true"/> when present and a string.</returns>
    internal bool Has(string name) => _values[name] is JsonValue value && value.TryGetValue<string>(out _);

    /// <summary>A number argument (schema <c>integer</c> or <c>number</c>).</summary>
    /// <param name="name">The argument name.</param>
    /// <returns>The value with its int or float kind.</returns>
    public PyNumber Number(string name) => PyJson.AsNumber(_values[name])!.Value;

    /// <summary>An array of strings.</summary>
    /// <param name="name">The argument name.</param>
    /// <returns>The values in order.</returns>
    public IReadOnlyList<string> Texts(string name) => [.. ((JsonArray)_values[name]!).Select(x => x!.GetValue<string>())];

    /// <summary>An array of objects, detached from the call so the tool may keep or change them.</summary>
    /// <param name="name">The argument name.</param>
    /// <returns>The objects in order.</returns>
    public IReadOnlyList<JsonObject> Objects(string name) => [.. ((JsonArray)_values[name]!).Select(x => (JsonObject)x!.DeepClone())];
}
