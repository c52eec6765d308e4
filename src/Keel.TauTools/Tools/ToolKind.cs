namespace Keel.TauTools.Tools;

/// <summary>What a tool does to the database, from the <c>x-tool-type</c> key of the domain's <c>tools.json</c>.</summary>
public enum ToolKind
{
    /// <summary>Reads only.</summary>
    Read,

    /// <summary>Changes the database.</summary>
    Write,

    /// <summary>Neither (calculate, think, transfer_to_human_agents).</summary>
    Generic,
}
