namespace Keel.Tools;

/// <summary>What a tool does to the world, from the tool schema's <c>x-tool-type</c> (READ / WRITE / GENERIC).</summary>
public enum ToolType
{
    /// <summary>Changes no data and only returns information; its successful results become policy facts.</summary>
    Read,

    /// <summary>Changes data (books, cancels, refunds, updates).</summary>
    Write,

    /// <summary>Neither reads nor writes domain data (calculate, think, transfer).</summary>
    Generic,
}
