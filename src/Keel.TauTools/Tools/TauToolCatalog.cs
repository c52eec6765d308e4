using System.Text.Json;

namespace Keel.TauTools.Tools;

/// <summary>Reads the tool definitions of a domain from its <c>tools.json</c>, which is embedded in this program.</summary>
/// <remarks>
/// Source: <c>samples/tau-&lt;domain&gt;/tools.json</c> (<c>{"tools": [{"type": "function", "function": {name,
/// description, parameters}, "x-tool-type", "x-idempotent"}]}</c>), the schemas tau-bench's tools declare in
/// <c>get_info()</c>. Stateless and thread-safe.
/// </remarks>
public static class TauToolCatalog
{
    /// <summary>Loads the tool definitions of a domain, in file order.</summary>
    /// <param name="domain">The domain.</param>
    /// <returns>Airline: 14 tools; retail: 16.</returns>
    /// <exception cref="InvalidOperationException">The embedded file is missing or malformed (a build defect).</exception>
    public static IReadOnlyList<TauToolDefinition> Load(TauDomain domain)
    {
        var resource = $"Keel.TauTools.{domain.Name()}.tools.json";
        using var stream = typeof(TauToolCatalog).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the embedded resource {resource} is missing: rebuild keel-tau-tools");
        using var document = JsonDocument.Parse(stream);
        var tools = new List<TauToolDefinition>();
        foreach (var entry in document.RootElement.GetProperty("tools").EnumerateArray())
        {
            var function = entry.GetProperty("function");
            tools.Add(new TauToolDefinition(
                function.GetProperty("name").GetString()!,
                function.GetProperty("description").GetString()!,
                function.GetProperty("parameters").Clone(),
                ReadKind(entry),
                entry.TryGetProperty("x-idempotent", out var idempotent) && idempotent.ValueKind == JsonValueKind.True));
        }

        return tools;
    }

    private static ToolKind ReadKind(JsonElement entry) =>
        (entry.TryGetProperty("x-tool-type", out var kind) ? kind.GetString() : null) switch
        {
            "READ" => ToolKind.Read,
            "WRITE" => ToolKind.Write,
            _ => ToolKind.Generic,
        };
}
