using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Tools;

namespace Keel.Mcp.Upstream;

/// <summary>One tool as an upstream MCP server lists it (<c>tools/list</c>).</summary>
/// <param name="Upstream">The <see cref="McpUpstreamOptions.Name"/> of the server that offers it.</param>
/// <param name="Name">The tool name, e.g. <c>get_reservation_details</c>.</param>
/// <param name="Description">The description shown to the model; empty when the server gives none.</param>
/// <param name="InputSchema">The JSON Schema of the arguments, exactly as the server sent it (a detached element).</param>
/// <param name="ReadOnlyHint">The server's <c>readOnlyHint</c> annotation; <see langword="null"/> when absent.</param>
/// <param name="DestructiveHint">The server's <c>destructiveHint</c> annotation; <see langword="null"/> when absent.</param>
/// <param name="IdempotentHint">The server's <c>idempotentHint</c> annotation; <see langword="null"/> when absent.</param>
/// <remarks>Annotations are hints from the server, not guarantees (MCP specification, "Tool annotations"): Keel's own
/// <c>tools.json</c> stays the authority on tool types; <see cref="ToToolCatalog"/> uses the hints only for a catalog built from
/// the upstream alone. Immutable and thread-safe.</remarks>
public sealed record McpUpstreamTool(string Upstream, string Name, string Description, JsonElement InputSchema, bool? ReadOnlyHint = null, bool? DestructiveHint = null, bool? IdempotentHint = null)
{
    /// <summary>The <c>tools.json</c> entry for this tool (OpenAI function-tool format): <c>x-tool-type</c> is READ for a read-only
    /// hint, WRITE for a destructive hint and GENERIC otherwise; <c>x-idempotent</c> is the idempotent hint when present.</summary>
    /// <returns>A new JSON object.</returns>
    public JsonObject ToToolsJsonEntry()
    {
        var type = ReadOnlyHint == true ? "READ" : DestructiveHint == true ? "WRITE" : "GENERIC";
        var function = new JsonObject
        {
            ["name"] = Name,
            ["description"] = Description,
            ["parameters"] = InputSchema.ValueKind == JsonValueKind.Object ? JsonNode.Parse(InputSchema.GetRawText()) : new JsonObject { ["type"] = "object" },
        };
        var entry = new JsonObject { ["type"] = "function", ["function"] = function, ["x-tool-type"] = type };
        if (IdempotentHint is { } idempotent)
        {
            entry["x-idempotent"] = idempotent;
        }

        return entry;
    }

    /// <summary>Builds a Keel tool catalog from upstream tools, as if they were an agent version's <c>tools.json</c>
    /// (see <see cref="ToToolsJsonEntry"/>).</summary>
    /// <param name="tools">The tools; names must be unique.</param>
    /// <param name="strict">Whether object schemas reject undeclared fields (<see cref="ToolCatalogLoader.Parse"/>). The default is <see langword="false"/>:
    /// the upstream's schema is taken as it is.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="Bundles.BundleLoadException">A schema is not usable or two tools share a name; the message names the tool's position.</exception>
    public static ToolCatalog ToToolCatalog(IEnumerable<McpUpstreamTool> tools, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var array = new JsonArray();
        foreach (var tool in tools)
        {
            array.Add(tool.ToToolsJsonEntry());
        }

        return ToolCatalogLoader.Parse(new JsonObject { ["tools"] = array }, "upstream tools/list", strict);
    }
}
