namespace Keel.Model;

/// <summary>The kinds of <see cref="RunEvent"/>; stored as lower-case snake_case names.</summary>
public enum RunEventKind
{
    /// <summary>A message from user, assistant, system or operator.</summary>
    Message,

    /// <summary>A tool call proposed by the agent.</summary>
    ToolCall,

    /// <summary>Keel's decision on a proposed tool call.</summary>
    Decision,

    /// <summary>A tool result (or the fact it did not run).</summary>
    ToolResult,

    /// <summary>An approval requested, granted, denied or expired.</summary>
    Approval,

    /// <summary>An operator pause, takeover or release.</summary>
    Intervention,

    /// <summary>The run handed to a human.</summary>
    Handoff,

    /// <summary>A monitor's finding.</summary>
    Finding,

    /// <summary>One attempt of the execute stage in enforce mode (success, error, timeout, circuit open) or a retry it scheduled.</summary>
    Execution,
}
