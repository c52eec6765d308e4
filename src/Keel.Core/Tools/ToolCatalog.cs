namespace Keel.Tools;

/// <summary>The tools of an agent version, by name. Immutable and thread-safe.</summary>
public sealed class ToolCatalog
{
    private readonly Dictionary<string, ToolDefinition> _tools;

    /// <summary>Creates a catalog.</summary>
    /// <param name="tools">The tools; names must be unique.</param>
    /// <exception cref="ArgumentException">Two tools share a name.</exception>
    public ToolCatalog(IEnumerable<ToolDefinition> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        _tools = new Dictionary<string, ToolDefinition>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            if (!_tools.TryAdd(tool.Name, tool))
            {
                throw new ArgumentException($"tool '{tool.Name}' is defined twice", nameof(tools));
            }
        }
    }

    /// <summary>All tools in name order.</summary>
    public IEnumerable<ToolDefinition> Tools => _tools.Values.OrderBy(t => t.Name, StringComparer.Ordinal);

    /// <summary>Number of tools.</summary>
    public int Count => _tools.Count;

    /// <summary>Looks a tool up by name (case-sensitive).</summary>
    /// <param name="name">The tool name.</param>
    /// <param name="tool">The tool when found.</param>
    /// <returns>Whether the catalog has the tool.</returns>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ToolDefinition? tool) => _tools.TryGetValue(name, out tool);

    /// <summary>Whether the catalog has a tool of this name.</summary>
    /// <param name="name">The tool name.</param>
    /// <returns><see langword="true"/> when known.</returns>
    public bool Contains(string name) => _tools.ContainsKey(name);
}
