namespace Keel.Sdk.Api;

/// <summary>The body of pause, takeover and release.</summary>
/// <param name="Note">Why, at most 2,000 characters, recorded with the event; <see langword="null"/> for none.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record InterventionRequest(string? Note);

/// <summary>The answer of pause, takeover and release (docs/intervention.md).</summary>
/// <param name="RunId">The run.</param>
/// <param name="Action"><c>pause</c>, <c>takeover</c> or <c>release</c>.</param>
/// <param name="Status">The run's status now: <c>paused</c>, <c>taken_over</c> or <c>active</c>.</param>
/// <param name="Sequence">The intervention event's sequence number.</param>
/// <param name="By">The name of the operator's key.</param>
/// <param name="At">When.</param>
/// <param name="Note">The note, when given.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiIntervention(string RunId, string Action, string Status, long Sequence, string By, DateTimeOffset At, string? Note);

/// <summary>The body of a decision on a held reply.</summary>
/// <param name="Decision"><c>send</c> (the draft as it is), <c>edit</c> (<paramref name="Content"/> as the agent's reply),
/// <c>replace</c> (<paramref name="Content"/> as the operator's message) or <c>discard</c>.</param>
/// <param name="Content">The text for edit and replace; <see langword="null"/> for send and discard.</param>
/// <param name="Note">Why, at most 2,000 characters.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ReplyDecisionRequest(string Decision, string? Content, string? Note);

/// <summary>The body of an operator message.</summary>
/// <param name="Content">The operator's message to the customer.</param>
/// <param name="Channel"><c>web</c>, <c>email</c>, <c>whatsapp</c>, <c>phone</c> or <c>api</c>; <see langword="null"/> for the run's own.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record OperatorMessageRequest(string Content, string? Channel);

/// <summary>The answer of an operator message.</summary>
/// <param name="Sequence">The message event's sequence number (also its id on the stream).</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record OperatorMessageResponse(long Sequence);

/// <summary>A reply the gate held and the decision on it once made (docs/intervention.md).</summary>
/// <param name="InterventionId">Its id.</param>
/// <param name="Status"><c>pending</c> or <c>decided</c>.</param>
/// <param name="Draft">The agent's text as recorded (redacted).</param>
/// <param name="Channel">The channel the agent named.</param>
/// <param name="Sequence">Its <c>hold</c> event's sequence number.</param>
/// <param name="HeldAt">When it was held.</param>
/// <param name="Decision"><c>send</c>, <c>edit</c>, <c>replace</c> or <c>discard</c> once decided.</param>
/// <param name="Text">The text delivered (none for discard).</param>
/// <param name="DecidedBy">The deciding operator's key name.</param>
/// <param name="DecidedAt">When it was decided.</param>
/// <param name="DecisionSequence">The decision event's sequence number.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiHeldReply(string InterventionId, string Status, string Draft, string? Channel, long Sequence, DateTimeOffset HeldAt,
    string? Decision, string? Text, string? DecidedBy, DateTimeOffset? DecidedAt, long? DecisionSequence);

/// <summary><c>{"interventions": [...]}</c>.</summary>
/// <param name="Interventions">The held replies, in order.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record HeldReplyList(IReadOnlyList<ApiHeldReply> Interventions);

/// <summary>One thing the agent's host acts on (docs/intervention.md, "deliveries").</summary>
/// <param name="Sequence">The event's sequence number: the stream's event id and the long-poll cursor.</param>
/// <param name="Type"><c>held</c>, <c>decision</c>, <c>operator_message</c>, <c>paused</c>, <c>taken_over</c>, <c>released</c>, or
/// <c>ended</c>: the run reached a terminal status (its <c>note</c> names it, e.g. <c>completed</c>), nothing more will be delivered and
/// the stream closes — do not reconnect. An <c>ended</c> delivery's <see cref="Sequence"/> is the cursor, not an event of the run.</param>
/// <param name="At">When.</param>
/// <param name="By">The key name that caused it.</param>
/// <param name="InterventionId">For held and decision: the held reply's id.</param>
/// <param name="Decision">For decision: <c>send</c>, <c>edit</c>, <c>replace</c> or <c>discard</c>.</param>
/// <param name="Text">The text to deliver (decision except discard, operator message), or the draft (held).</param>
/// <param name="Role"><c>assistant</c> (send, edit) or <c>operator</c> (replace, operator message).</param>
/// <param name="Channel">The channel named, when any.</param>
/// <param name="Note">The operator's note.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiDelivery(long Sequence, string Type, DateTimeOffset At, string? By, string? InterventionId, string? Decision, string? Text, string? Role,
    string? Channel, string? Note);

/// <summary>The answer of <c>GET /v1/runs/{run_id}/deliveries</c>.</summary>
/// <param name="Deliveries">What happened after the cursor (empty when the wait ran out).</param>
/// <param name="Next">The cursor for the next call: the last event read.</param>
/// <param name="Status">The run's status.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiDeliveryList(IReadOnlyList<ApiDelivery> Deliveries, long Next, string Status);
