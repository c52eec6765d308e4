using Keel.Interventions;

namespace Keel.Server.Interventions;

/// <summary>Body of <c>POST /v1/runs/{run_id}/pause</c>, <c>/takeover</c> and <c>/release</c>.</summary>
/// <param name="Note">Why, at most 2,000 characters; recorded with the event.</param>
public sealed record InterventionRequest(string? Note);

/// <summary>Answer of pause, takeover and release.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Action"><c>pause</c>, <c>takeover</c> or <c>release</c>.</param>
/// <param name="Status">The run's status now: <c>paused</c>, <c>taken_over</c> or <c>active</c>.</param>
/// <param name="Sequence">The intervention event's sequence number.</param>
/// <param name="By">The name of the operator's key.</param>
/// <param name="At">When (server clock).</param>
/// <param name="Note">The note, when given.</param>
public sealed record InterventionDto(string RunId, string Action, string Status, long Sequence, string By, DateTimeOffset At, string? Note);

/// <summary>Body of <c>POST /v1/runs/{run_id}/interventions/{intervention_id}/decision</c>.</summary>
/// <param name="Decision"><c>send</c> (the draft as it is), <c>edit</c> (<paramref name="Content"/> as the agent's reply),
/// <c>replace</c> (<paramref name="Content"/> as the operator's message) or <c>discard</c>.</param>
/// <param name="Content">The text for edit and replace; absent for send and discard.</param>
/// <param name="Note">Why, at most 2,000 characters.</param>
public sealed record ReplyDecisionRequest(string? Decision, string? Content, string? Note);

/// <summary>Body of <c>POST /v1/runs/{run_id}/operator-messages</c>.</summary>
/// <param name="Content">The operator's message to the customer.</param>
/// <param name="Channel">Optional: web, email, whatsapp, phone or api.</param>
public sealed record OperatorMessageRequest(string? Content, string? Channel);

/// <summary>Answer of <c>POST /v1/runs/{run_id}/operator-messages</c>.</summary>
/// <param name="Sequence">The message event's sequence number (also its id on the stream).</param>
public sealed record OperatorMessageResponse(long Sequence);

/// <summary>A reply the gate held, and the decision on it once made.</summary>
/// <param name="InterventionId">Its id.</param>
/// <param name="Status"><c>pending</c> or <c>decided</c>.</param>
/// <param name="Draft">The agent's text, as recorded (redacted).</param>
/// <param name="Channel">The channel the agent named, if any.</param>
/// <param name="Sequence">Its <c>hold</c> event's sequence number.</param>
/// <param name="HeldAt">When it was held.</param>
/// <param name="Decision"><c>send</c>, <c>edit</c>, <c>replace</c> or <c>discard</c> once decided.</param>
/// <param name="Text">The text delivered (none for discard).</param>
/// <param name="DecidedBy">The name of the deciding operator's key.</param>
/// <param name="DecidedAt">When it was decided.</param>
/// <param name="DecisionSequence">The decision event's sequence number (its id on the stream).</param>
public sealed record HeldReplyDto(string InterventionId, string Status, string Draft, string? Channel, long Sequence, DateTimeOffset HeldAt,
    string? Decision, string? Text, string? DecidedBy, DateTimeOffset? DecidedAt, long? DecisionSequence)
{
    /// <summary>Maps a held reply.</summary>
    public static HeldReplyDto From(HeldReply reply) => new(reply.InterventionId, reply.Decision is null ? "pending" : "decided", reply.Draft, reply.Channel,
        reply.Sequence, reply.HeldAt, reply.Decision?.Decision, reply.Decision?.Content, reply.Decision?.Operator, reply.Decision?.Timestamp, reply.Decision?.Sequence);
}

/// <summary>The held replies of a run, in order.</summary>
public sealed record HeldReplyListDto(IReadOnlyList<HeldReplyDto> Interventions);

/// <summary>One delivery, as the stream's <c>data</c> and in the long-poll list: see <see cref="Delivery"/>.</summary>
public sealed record DeliveryDto(long Sequence, string Type, DateTimeOffset At, string? By, string? InterventionId, string? Decision, string? Text, string? Role,
    string? Channel, string? Note)
{
    /// <summary>Maps a delivery.</summary>
    public static DeliveryDto From(Delivery d) => new(d.Sequence, d.Type, d.At, d.By, d.InterventionId, d.Decision, d.Text, d.Role, d.Channel, d.Note);
}

/// <summary>Answer of <c>GET /v1/runs/{run_id}/deliveries</c>.</summary>
/// <param name="Deliveries">What happened after the cursor, in order (empty when the wait ran out).</param>
/// <param name="Next">The cursor for the next call (<c>after=</c>): the last event read, delivery or not.</param>
/// <param name="Status">The run's status when read.</param>
public sealed record DeliveryListDto(IReadOnlyList<DeliveryDto> Deliveries, long Next, string Status);
