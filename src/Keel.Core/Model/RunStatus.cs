namespace Keel.Model;

/// <summary>Status of a <see cref="Run"/>.</summary>
public enum RunStatus
{
    /// <summary>The run is in progress.</summary>
    Active,

    /// <summary>A tool call is held until a person approves it.</summary>
    AwaitingApproval,

    /// <summary>An operator paused the run.</summary>
    Paused,

    /// <summary>The run was handed to a human (transfer or escalation).</summary>
    HandedOff,

    /// <summary>The run ended normally.</summary>
    Completed,

    /// <summary>The run ended in a failure Keel could not contain.</summary>
    Failed,

    /// <summary>Keel stopped the run safely (budget, loop, safe-stop disposition).</summary>
    Stopped,
}
