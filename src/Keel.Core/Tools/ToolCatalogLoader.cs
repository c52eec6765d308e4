using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Bundles;
using Json.Schema;

namespace Keel.Tools;

/// <summary>Reads a <c>tools.json</c> file: <c>{"tools": [OpenAI function tools], "$defs": {...}}</c> with Keel's <c>x-tool-type</c>,
/// <c>x-idempotent</c>, <c>x-untrusted-output</c>, <c>x-timeout-ms</c> and <c>x-preview</c> annotations.</summary>
public static class ToolCatalogLoader
{
    private const int MaxTimeoutMs = 86_400_000;

    /// <summary>Loads a catalog from a file.</summary>
    /// <param name="path">Path of <c>tools.json</c>.</param>
    /// <param name="strict">When <see langword="true"/> (the default), object schemas that do not say otherwise reject fields they do not declare (<c>additionalProperties: false</c>).</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="BundleLoadException">The file is missing, not JSON, or a tool is malformed; the message names the file, line or JSON path, and the fix.</exception>
    public static ToolCatalog Load(string path, bool strict = true)
    {
        if (!File.Exists(path))
        {
            throw new BundleLoadException(path, 0, 0, "file not found. Point 'tools:' in agent.yaml at a tools.json in OpenAI function-tool format");
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new BundleLoadException(path, (int)(ex.LineNumber ?? -1) + 1, (int)(ex.BytePositionInLine ?? -1) + 1, $"not valid JSON: {ex.Message}", ex);
        }

        return Parse(root, path, strict);
    }

    /// <summary>Builds a catalog from already parsed <c>tools.json</c> content.</summary>
    /// <param name="root">The document: an object with a <c>tools</c> array, or the array itself.</param>
    /// <param name="path">The file name used in error messages.</param>
    /// <param name="strict">See <see cref="Load"/>.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="BundleLoadException">A tool is malformed.</exception>
    public static ToolCatalog Parse(JsonNode? root, string path, bool strict = true)
    {
        var tools = root switch
        {
            JsonArray array => array,
            JsonObject obj when obj["tools"] is JsonArray array => array,
            _ => throw new BundleLoadException(path, 0, 0, "expected an object with a \"tools\" array (or a top-level array) of OpenAI function tools"),
        };
        var defs = (root as JsonObject)?["$defs"] ?? (root as JsonObject)?["definitions"];
        var result = new List<ToolDefinition>(tools.Count);
        for (var i = 0; i < tools.Count; i++)
        {
            result.Add(ParseTool(tools[i], defs, $"$.tools[{i}]", path, strict));
        }

        CheckPreviews(result, path);
        try
        {
            return new ToolCatalog(result);
        }
        catch (ArgumentException ex)
        {
            throw new BundleLoadException(path, 0, 0, ex.Message.Split(" (Parameter")[0] + ". Give every tool a unique name", ex);
        }
    }

    /// <summary>A preview tool that the catalog also offers to the agent must be a READ tool: previews change nothing.</summary>
    private static void CheckPreviews(List<ToolDefinition> tools, string path)
    {
        foreach (var tool in tools.Where(t => t.PreviewTool is not null))
        {
            if (tools.FirstOrDefault(t => t.Name == tool.PreviewTool) is { Type: not ToolType.Read } listed)
            {
                throw new BundleLoadException(path, 0, 0,
                    $"tool '{tool.Name}' has x-preview '{listed.Name}', which this file declares as a {listed.Type.ToString().ToUpperInvariant()} tool. A preview changes nothing: " +
                    $"mark '{listed.Name}' x-tool-type READ, or leave it out of tools.json (the gateway calls previews; the agent need not see them)");
            }
        }
    }

    private static ToolDefinition ParseTool(JsonNode? node, JsonNode? defs, string at, string path, bool strict)
    {
        if (node is not JsonObject tool)
        {
            throw new BundleLoadException(path, 0, 0, $"{at} is not an object. Each entry is {{\"type\": \"function\", \"function\": {{\"name\", \"description\", \"parameters\"}}}}");
        }

        var function = tool["function"] as JsonObject ?? tool;
        var name = Text(function["name"], $"{at}.function.name", path);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new BundleLoadException(path, 0, 0, $"{at}.function.name is missing. Name the tool");
        }

        var typeText = Text(tool["x-tool-type"] ?? function["x-tool-type"], $"{at}.x-tool-type", path) ?? "GENERIC";
        var type = typeText.ToUpperInvariant() switch
        {
            "READ" => ToolType.Read,
            "WRITE" => ToolType.Write,
            "GENERIC" => ToolType.Generic,
            _ => throw new BundleLoadException(path, 0, 0, $"{at}.x-tool-type is '{typeText}'. Use READ, WRITE or GENERIC"),
        };
        var idempotentNode = tool["x-idempotent"] ?? function["x-idempotent"];
        var idempotent = idempotentNode switch
        {
            null => type == ToolType.Read,
            JsonValue v when v.TryGetValue<bool>(out var flag) => flag,
            _ => throw new BundleLoadException(path, 0, 0, $"{at}.x-idempotent must be true or false, not {idempotentNode.ToJsonString()}"),
        };
        var trustNode = tool["x-untrusted-output"] ?? function["x-untrusted-output"];
        var trust = trustNode switch
        {
            null => OutputTrust.Trusted,
            JsonValue v when v.TryGetValue<bool>(out var flag) => flag ? OutputTrust.Untrusted : OutputTrust.Trusted,
            JsonArray fields when fields.Count > 0 && fields.All(f => f is JsonValue fv && fv.TryGetValue<string>(out _)) => OutputTrust.UntrustedFields(fields.Select(f => f!.GetValue<string>())),
            _ => throw new BundleLoadException(path, 0, 0, $"{at}.x-untrusted-output must be true, false or a non-empty list of field names, not {trustNode.ToJsonString()}"),
        };
        var preview = Preview(tool["x-preview"] ?? function["x-preview"], name, type, at, path);
        var timeoutNode = tool["x-timeout-ms"] ?? function["x-timeout-ms"];
        var timeout = timeoutNode switch
        {
            null => (TimeSpan?)null,
            JsonValue v when v.TryGetValue<double>(out var ms) && ms >= 10 && ms <= MaxTimeoutMs && ms == Math.Floor(ms) => TimeSpan.FromMilliseconds(ms),
            _ => throw new BundleLoadException(path, 0, 0, $"{at}.x-timeout-ms must be a whole number of milliseconds between 10 and {MaxTimeoutMs} (24 h), not {timeoutNode.ToJsonString()}"),
        };
        var parameters = (function["parameters"]?.DeepClone() as JsonObject) ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
        if (defs is not null)
        {
            parameters["definitions"] = defs.DeepClone();
        }

        if (strict)
        {
            CloseObjects(parameters);
        }

        var schemaText = parameters.ToJsonString().Replace("#/$defs/", "#/definitions/", StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(schemaText);
        var parametersElement = doc.RootElement.Clone();
        JsonSchema schema;
        try
        {
            // A registry of its own per tool: a schema without an $id is registered under a generated URI, which the global
            // registry would keep for the life of the process (thousands of tools in a BFCL replay).
            schema = JsonSchema.Build(parametersElement, new BuildOptions { Dialect = Dialect.Draft07, SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception ex) when (ex is JsonSchemaException or RefResolutionException or JsonException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            throw new BundleLoadException(path, 0, 0, $"{at}.function.parameters is not a usable JSON Schema: {ex.Message}", ex);
        }

        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(schemaText)))[..16];
        return new ToolDefinition(name, Text(function["description"], $"{at}.function.description", path) ?? string.Empty, type, idempotent, parametersElement, version, new ToolSchemaValidator(schema), trust, preview, timeout);
    }

    /// <summary>Reads <c>x-preview</c>: the name of a separate dry-run tool of a WRITE tool.</summary>
    private static string? Preview(JsonNode? node, string name, ToolType type, string at, string path)
    {
        var preview = Text(node, $"{at}.x-preview", path);
        if (preview is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(preview))
        {
            throw new BundleLoadException(path, 0, 0, $"{at}.x-preview is empty. Name the tool that previews '{name}' (e.g. \"preview_{name}\") or remove the key");
        }

        if (preview == name)
        {
            throw new BundleLoadException(path, 0, 0, $"{at}.x-preview names '{name}' itself. A preview is a separate dry-run tool that changes nothing, e.g. \"preview_{name}\"");
        }

        return type == ToolType.Write
            ? preview
            : throw new BundleLoadException(path, 0, 0, $"{at}.x-preview is set on a {type.ToString().ToUpperInvariant()} tool. Only a WRITE tool changes state worth previewing: set x-tool-type to WRITE or remove x-preview");
    }

    private static string? Text(JsonNode? node, string at, string path) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => throw new BundleLoadException(path, 0, 0, $"{at} must be a string, not {node.ToJsonString()}"),
    };

    private static void CloseObjects(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["properties"] is JsonObject && !obj.ContainsKey("additionalProperties"))
                {
                    obj["additionalProperties"] = false;
                }

                foreach (var child in obj.Select(p => p.Value).ToList())
                {
                    CloseObjects(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    CloseObjects(child);
                }

                break;
        }
    }
}
