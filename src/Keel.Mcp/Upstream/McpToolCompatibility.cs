using System.Text.Json;
using Keel.Tools;

namespace Keel.Mcp.Upstream;

/// <summary>Checks an agent version's tools (<c>tools.json</c>) against what the upstream MCP servers list, so a server can refuse
/// or warn at start instead of failing calls later.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class McpToolCompatibility
{
    /// <summary>Lists every mismatch between the agent's catalog and the upstream tools, one sentence each, in tool-name order:
    /// a tool of the agent that no upstream lists (its calls would fail); a parameter the agent's schema declares that the
    /// upstream's does not (Keel would pass arguments the upstream may reject); a parameter the upstream requires that the agent's
    /// schema does not (calls Keel lets through could fail upstream); and a tool listed by two upstreams (the second is never
    /// called). Upstream tools the agent does not list are not mismatches: the agent simply cannot call them.</summary>
    /// <param name="agentTools">The agent version's tools.</param>
    /// <param name="upstreamTools">All upstream tools, in routing order (<see cref="McpUpstream.Tools"/> of each upstream).</param>
    /// <returns>The mismatches; empty when the two agree.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IReadOnlyList<string> Check(ToolCatalog agentTools, IEnumerable<McpUpstreamTool> upstreamTools)
    {
        ArgumentNullException.ThrowIfNull(agentTools);
        ArgumentNullException.ThrowIfNull(upstreamTools);
        var problems = new List<string>();
        var byName = new Dictionary<string, McpUpstreamTool>(StringComparer.Ordinal);
        foreach (var tool in upstreamTools)
        {
            if (!byName.TryAdd(tool.Name, tool))
            {
                problems.Add($"tool '{tool.Name}' is listed by upstream '{byName[tool.Name].Upstream}' and upstream '{tool.Upstream}'; calls go to '{byName[tool.Name].Upstream}' only");
            }
        }

        foreach (var tool in agentTools.Tools)
        {
            if (!byName.TryGetValue(tool.Name, out var upstream))
            {
                problems.Add($"tool '{tool.Name}' is in the agent's tools.json but no upstream MCP server lists it; its calls will fail");
                continue;
            }

            var upstreamNames = PropertyNames(upstream.InputSchema);
            foreach (var extra in tool.ParameterNames.Where(p => !upstreamNames.Contains(p)))
            {
                problems.Add($"tool '{tool.Name}': parameter '{extra}' is in the agent's schema but not in upstream '{upstream.Upstream}''s");
            }

            var agentRequired = Required(tool.Parameters);
            foreach (var required in Required(upstream.InputSchema).Where(r => !agentRequired.Contains(r)))
            {
                problems.Add($"tool '{tool.Name}': upstream '{upstream.Upstream}' requires parameter '{required}', which the agent's schema does not require");
            }
        }

        return problems;
    }

    private static HashSet<string> PropertyNames(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            ? properties.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

    private static HashSet<string> Required(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array
            ? required.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
}
