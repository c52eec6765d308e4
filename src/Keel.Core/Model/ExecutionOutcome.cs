namespace Keel.Model;

/// <summary>How one attempt of the execute stage ended (<see cref="ExecutionEvent.Outcome"/>); stored as snake_case names.</summary>
public enum ExecutionOutcome
{
    /// <summary>The tool answered with a success.</summary>
    Success,

    /// <summary>The tool answered with an error, or its executor raised an exception.</summary>
    Error,

    /// <summary>The tool did not answer within the attempt timeout; for a non-idempotent tool the outcome is unknown.</summary>
    Timeout,

    /// <summary>The tool's circuit breaker was open: the attempt was refused without calling the tool.</summary>
    CircuitOpen,

    /// <summary>A retry of a transient failure of an idempotent tool was scheduled after <see cref="ExecutionEvent.DelayMs"/>.</summary>
    RetryScheduled,
}
