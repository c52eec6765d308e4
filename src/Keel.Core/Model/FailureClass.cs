namespace Keel.Model;

/// <summary>The failure taxonomy of the Keel product brief; every failure gets exactly one class.</summary>
public enum FailureClass
{
    /// <summary>A policy rule denied or held the call.</summary>
    Policy,

    /// <summary>The tool is outside the agent's allow list or scope.</summary>
    Permission,

    /// <summary>Unknown tool, malformed JSON arguments, or arguments that break the tool's JSON Schema.</summary>
    Schema,

    /// <summary>A tool failure that may succeed if retried (timeout, rate limit, unavailable).</summary>
    ToolTransient,

    /// <summary>A tool refused the call for a business reason (not found, not enough balance).</summary>
    ToolSemantic,

    /// <summary>An answer not supported by the knowledge base.</summary>
    Grounding,

    /// <summary>A person denied the approval.</summary>
    ApprovalDenied,

    /// <summary>The approval expired before anyone decided.</summary>
    ApprovalExpired,

    /// <summary>A step, tool-call, token or cost budget ran out.</summary>
    Budget,

    /// <summary>The loop guard saw the same call repeated or no progress.</summary>
    Loop,

    /// <summary>The assistant claimed an action that failed, was denied or never happened.</summary>
    ClaimMismatch,

    /// <summary>Instructions injected through untrusted tool output.</summary>
    Injection,

    /// <summary>The run ended without finishing its task.</summary>
    Incomplete,
}
