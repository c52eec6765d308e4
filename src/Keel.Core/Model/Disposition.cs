namespace Keel.Model;

/// <summary>What happens after a failure.</summary>
public enum Disposition
{
    /// <summary>Retry the call (only transient failures of idempotent tools).</summary>
    Retry,

    /// <summary>Stop the action safely and tell the agent why; no human needed yet.</summary>
    SafeStop,

    /// <summary>Hand the run to a human with a <see cref="HandoffPacket"/>.</summary>
    Escalate,
}
