using System.Text.Json;

namespace Keel.Provenance;

/// <summary>The string and number leaves of a call's arguments, each with its JSONPath (array elements are leaves of their own).</summary>
public static class ArgumentLeaves
{
    /// <summary>Lists the leaves in document order.</summary>
    /// <param name="arguments">The arguments; anything but a JSON object has no leaves.</param>
    /// <returns>Path (e.g. <c>$.recipients[0]</c>) and value of every string or number leaf.</returns>
    public static List<(string Path, JsonElement Value)> Of(JsonElement arguments)
    {
        var leaves = new List<(string, JsonElement)>();
        if (arguments.ValueKind == JsonValueKind.Object)
        {
            Walk(arguments, "$", leaves);
        }

        return leaves;
    }

    private static void Walk(JsonElement value, string path, List<(string, JsonElement)> leaves)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    Walk(property.Value, path + "." + property.Name, leaves);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Walk(item, $"{path}[{index++}]", leaves);
                }

                break;
            case JsonValueKind.String or JsonValueKind.Number:
                leaves.Add((path, value));
                break;
        }
    }
}
