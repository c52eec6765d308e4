namespace Keel.Model;

/// <summary>Status of a <see cref="Run"/>.</summary>
public enum RunStatus
{
    /// <summary>The run is in progress.</summary>
    Active,

    /// <summary>A tool call is held until a person approves it.</summary>
    AwaitingApproval,

    /// <summary>An operator paused the run: the agent's next replies are held until the operator decides on them
    /// (docs/intervention.md); tool calls go on.</summary>
    Paused,

    /// <summary>An operator took the conversation over: the operator writes to the customer, the agent's replies are held and
    /// its tool calls are refused (never executed) until the operator releases the run (docs/intervention.md).</summary>
    TakenOver,

    /// <summary>The run was handed to a human (transfer or escalation).</summary>
    HandedOff,

    /// <summary>The run ended normally.</summary>
    Completed,

    /// <summary>The run ended in a failure Keel could not contain.</summary>
    Failed,

    /// <summary>Keel stopped the run safely (budget, loop, safe-stop disposition).</summary>
    Stopped,
}
