using System.Text.Json.Serialization;

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
    /// <summary>The channel the message is for or came from (<c>web</c>, <c>email</c>, <c>whatsapp</c>, <c>phone</c>, <c>api</c>):
    /// metadata only, nothing decides on it. <see langword="null"/> (not written) when the sender did not say.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Channel { get; init; }

    /// <summary>For a message a person wrote through Keel (an operator message, an operator's replacement of a held reply): the
    /// name of that person's API key; <see langword="null"/> (not written) otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? By { get; init; }

    /// <summary>For a message that delivers an operator's decision on a held reply (send, edit, replace): that reply's id;
    /// <see langword="null"/> (not written) otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InterventionId { get; init; }

    /// <summary>The model usage of producing this message (tokens, input and output tokens, USD), as reported with it;
    /// <see langword="null"/> (not written, so events stored before it existed hash the same) when none was reported.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MessageUsage? Usage { get; init; }

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
    /// <summary>Who produced the result: <see cref="HostSource"/> for a result the agent's host reported after running an allowed
    /// call's function itself (<c>POST /v1/runs/{run_id}/tool-calls/{call_id}/result</c>, docs/gateway-api.md); <see langword="null"/>
    /// (not written, so events stored before it existed hash the same) for the result of the pipeline's execute stage.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Source { get; init; }

    /// <summary>The value of <see cref="Source"/> for a result the agent's host reported.</summary>
    public const string HostSource = "host";

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

/// <summary>An intervention on a live run (docs/intervention.md): an operator's pause, takeover or release, a reply of the agent
/// held by the message gate, or an operator's decision on a held reply. Action names are <see cref="Interventions.InterventionActions"/>.</summary>
/// <param name="Action">One of <c>pause</c>, <c>takeover</c>, <c>release</c>, <c>hold</c>, <c>decision</c>.</param>
/// <param name="Operator">Who: the name of the API key that caused it (for <c>hold</c>, the agent's key).</param>
public sealed record InterventionEvent(string Action, string Operator) : RunEvent
{
    /// <summary>The id of the API key that caused it (<c>keel_&lt;id&gt;_…</c>); <see langword="null"/> (not written) when unknown.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? KeyId { get; init; }

    /// <summary>For <c>hold</c> and <c>decision</c>: the held reply's id (<c>int_</c> and 16 hex digits).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InterventionId { get; init; }

    /// <summary>For <c>decision</c>: <c>send</c>, <c>edit</c>, <c>replace</c> or <c>discard</c> (<see cref="Interventions.ReplyDecision"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Decision { get; init; }

    /// <summary>For <c>hold</c>: the agent's draft; for <c>decision</c>: the text to deliver (<see langword="null"/> when discarded).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Content { get; init; }

    /// <summary>For <c>hold</c>: the channel of the held reply, when the agent named one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Channel { get; init; }

    /// <summary>The operator's note (why), when given.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Note { get; init; }

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
