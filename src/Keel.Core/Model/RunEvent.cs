namespace Keel.Model;

/// <summary>One append-only record of a run. <see cref="Sequence"/> is assigned by <see cref="Run.Append"/>, 1-based and gap-free per run.</summary>
public abstract record RunEvent
{
    /// <summary>1-based position in the run; 0 until appended.</summary>
    public long Sequence { get; init; }

    /// <summary>When the event happened (the run's clock: recorded time in replay).</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The kind of event.</summary>
    public abstract RunEventKind Kind { get; }
}

/// <summary>A message in the conversation.</summary>
/// <param name="Role">Who wrote it.</param>
/// <param name="Content">The text.</param>
public sealed record MessageEvent(MessageRole Role, string Content) : RunEvent
{
    /// <inheritdoc />
    public override RunEventKind Kind => RunEventKind.Message;
}

/// <summary>A tool call proposed by the agent.</summary>
/// <param name="Call">The call.</param>
public sealed record ToolCallEvent(ToolCall Call) : RunEvent
{
    /// <inheritdoc />
    public override RunEventKind Kind => RunEventKind.ToolCall;
}

/// <summary>Keel's decision on a tool call.</summary>
/// <param name="CallId">The call decided on.</param>
/// <param name="Decision">The decision.</param>
public sealed record DecisionEvent(string CallId, Decision Decision) : RunEvent
{
    /// <inheritdoc />
    public override RunEventKind Kind => RunEventKind.Decision;
}

/// <summary>A tool result.</summary>
/// <param name="Result">The result.</param>
/// <param name="ToolName">The tool that produced it.</param>
public sealed record ToolResultEvent(ToolResult Result, string ToolName) : RunEvent
{
    /// <inheritdoc />
    public override RunEventKind Kind => RunEventKind.ToolResult;
}

/// <summary>An approval state change.</summary>
/// <param name="CallId">The held call.</param>
/// <param name="State">One of <c>requested</c>, <c>granted</c>, <c>denied</c>, <c>expired</c>.</param>
/// <param name="Note">Who decided and why, when known.</param>
public sealed record ApprovalEvent(string CallId, string State, string? Note = null) : RunEvent
{
    /// <inheritdoc />
    public override RunEventKind Kind => RunEventKind.Approval;
}

/// <summary>An operator intervention.</summary>
/// <param name="Action">One of <c>pause</c>, <c>takeover</c>, <c>release</c>.</param>
/// <param name="Operator">The operator.</param>
public sealed record InterventionEvent(string Action, string Operator) : RunEvent
{
    /// <inheritdoc />
    public override RunEventKind Kind => RunEventKind.Intervention;
}

/// <summary>The run handed to a human.</summary>
/// <param name="Packet">What the human gets.</param>
public sealed record HandoffEvent(HandoffPacket Packet) : RunEvent
{
    /// <inheritdoc />
    public override RunEventKind Kind => RunEventKind.Handoff;
}

/// <summary>A monitor's finding.</summary>
/// <param name="Finding">The finding.</param>
public sealed record FindingEvent(Finding Finding) : RunEvent
{
    /// <inheritdoc />
    public override RunEventKind Kind => RunEventKind.Finding;
}

/// <summary>One step of the execute stage's resilience pipeline in enforce mode: an attempt to call the tool and how it ended,
/// or a retry it scheduled. Appended between the call's <see cref="ToolCallEvent"/> and its <see cref="DecisionEvent"/>; audit
/// mode (replay) never writes it.</summary>
/// <param name="CallId">The call executed.</param>
/// <param name="ToolName">The tool called.</param>
/// <param name="Attempt">1-based attempt number; for <see cref="ExecutionOutcome.RetryScheduled"/> the attempt that will run after the delay.</param>
/// <param name="Outcome">How the attempt ended, or that a retry was scheduled.</param>
/// <param name="DurationMs">How long the attempt took in milliseconds (0 for a refused attempt and for a scheduled retry).</param>
/// <param name="DelayMs">For <see cref="ExecutionOutcome.RetryScheduled"/>, the backoff before the next attempt in milliseconds; otherwise <see langword="null"/>.</param>
/// <param name="Detail">A sentence without secrets: the error text (at most 200 characters), the exception type, the timeout or until when the circuit is open.</param>
public sealed record ExecutionEvent(string CallId, string ToolName, int Attempt, ExecutionOutcome Outcome, double DurationMs, double? DelayMs = null, string? Detail = null) : RunEvent
{
    /// <inheritdoc />
    public override RunEventKind Kind => RunEventKind.Execution;
}
