using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Bundles;
using Keel.Tools;

namespace Keel.Importers;

/// <summary>
/// Turns the functions a BFCL item offers (<c>function</c>: <c>[{name, description, parameters}]</c>) into the run's
/// <see cref="ToolCatalog"/>: parameters converted by <see cref="BfclSchemaConverter"/>, objects closed to undeclared
/// arguments (as <c>tools.json</c> is by default, and as BFCL's checker rejects an unexpected parameter), every function a
/// <see cref="ToolType.Read"/> tool. One instance per file read; not thread-safe.
/// </summary>
/// <remarks>
/// Why read tools: BFCL items are single-turn requests judged on the call alone; the data records no results and no side
/// effects, and a write type would only make the replay count writes that never happened. Functions that would write in a
/// real deployment (<c>bank_account.transfer</c>, <c>send_email</c>) are therefore still typed read here; a bundle that guards
/// them would declare them in its own <c>tools.json</c>. Live items repeat the same function definitions, so each distinct
/// definition (by its JSON text) is compiled once per file.
/// </remarks>
internal sealed class BfclFunctions
{
    private readonly Dictionary<string, ToolDefinition> _compiled = new(StringComparer.Ordinal);

    /// <summary>Builds the catalog of one item.</summary>
    /// <param name="question">The item's question record (its <c>function</c> array is read).</param>
    /// <param name="questionFile">The question file, for messages.</param>
    /// <param name="at">Path of the question record.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="RecordFormatException">The <c>function</c> list is missing, a function is malformed or its schema unusable, or two functions share a name; the JSONPath names it.</exception>
    public ToolCatalog Catalog(JsonElement question, string questionFile, in RecordPath at)
    {
        var list = JsonFields.RequireArray(question, "function", at);
        var tools = new List<ToolDefinition>(list.GetArrayLength());
        var index = 0;
        foreach (var function in list.EnumerateArray())
        {
            tools.Add(Compile(function, questionFile, at.Item("function", index++)));
        }

        var duplicate = tools.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? new ToolCatalog(tools)
            : throw new RecordFormatException(at.Format("function"), $"two functions are named '{duplicate.Key}'; function names must be unique within an item");
    }

    private ToolDefinition Compile(JsonElement function, string questionFile, in RecordPath at)
    {
        var key = function.GetRawText();
        if (_compiled.TryGetValue(key, out var known))
        {
            return known;
        }

        JsonFields.RequireObject(function, at);
        var name = JsonFields.RequireString(function, "name", at);
        var description = JsonFields.OptionalString(function, "description", at) ?? string.Empty;
        var parameters = function.TryGetProperty("parameters", out var p) && p.ValueKind != JsonValueKind.Null ? JsonNode.Parse(p.GetRawText()) : null;
        var entry = new JsonObject
        {
            ["type"] = "function",
            ["x-tool-type"] = "READ",
            ["function"] = new JsonObject
            {
                ["name"] = name,
                ["description"] = description,
                ["parameters"] = BfclSchemaConverter.Convert(parameters, at.Format("parameters")),
            },
        };
        try
        {
            var tool = ToolCatalogLoader.Parse(new JsonArray(entry), questionFile, strict: true).Tools.Single();
            _compiled[key] = tool;
            return tool;
        }
        catch (BundleLoadException ex)
        {
            throw new RecordFormatException(at.Format("parameters"), $"the schema is not usable after conversion: {ex.Problem ?? ex.Message}");
        }
    }
}
