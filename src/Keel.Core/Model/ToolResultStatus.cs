namespace Keel.Model;

/// <summary>How a tool call ended.</summary>
public enum ToolResultStatus
{
    /// <summary>The tool ran and succeeded.</summary>
    Ok,

    /// <summary>The tool ran and reported an error.</summary>
    Error,

    /// <summary>The tool did not run (denied, held, or no recorded result).</summary>
    NotExecuted,
}
