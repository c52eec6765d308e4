using Keel.Model;
using Keel.Storage;

namespace Keel.Interventions;

/// <summary>One thing the agent's host must act on, read from a run's events (docs/intervention.md): the decision on a held reply
/// (the text to deliver, or discarded), an operator's message to the customer, a reply held, or a change of who speaks.</summary>
/// <param name="Sequence">The event's sequence number in the run: the stream's event id and the long-poll cursor.</param>
/// <param name="Type"><c>held</c>, <c>decision</c>, <c>operator_message</c>, <c>paused</c>, <c>taken_over</c> or <c>released</c>.</param>
/// <param name="At">When it happened (server clock).</param>
/// <param name="By">The name of the key that caused it.</param>
/// <param name="InterventionId">For <c>held</c> and <c>decision</c>: the held reply's id.</param>
/// <param name="Decision">For <c>decision</c>: <c>send</c>, <c>edit</c>, <c>replace</c> or <c>discard</c>.</param>
/// <param name="Text">The text to deliver (<c>decision</c> except discard, <c>operator_message</c>), or the held draft (<c>held</c>).</param>
/// <param name="Role">Who the delivered text is from: <c>assistant</c> (send, edit) or <c>operator</c> (replace, operator message).</param>
/// <param name="Channel">The channel named with the reply or message, when any.</param>
/// <param name="Note">The operator's note, when given.</param>
public sealed record Delivery(long Sequence, string Type, DateTimeOffset At, string? By, string? InterventionId = null, string? Decision = null,
    string? Text = null, string? Role = null, string? Channel = null, string? Note = null)
{
    /// <summary>The delivery an event stands for, or <see langword="null"/> for events the host need not act on (tool calls,
    /// findings, the agent's own delivered replies, the messages that carry a decision's text into the conversation).</summary>
    /// <param name="runEvent">A run event (as stored).</param>
    /// <returns>The delivery, or <see langword="null"/>.</returns>
    public static Delivery? From(RunEvent runEvent) => runEvent switch
    {
        InterventionEvent { Action: InterventionActions.Hold } e =>
            new(e.Sequence, "held", e.Timestamp, e.Operator, e.InterventionId, Text: e.Content, Channel: e.Channel),
        InterventionEvent { Action: InterventionActions.Decision } e =>
            new(e.Sequence, "decision", e.Timestamp, e.Operator, e.InterventionId, e.Decision, e.Content,
                e.Decision == "discard" ? null : e.Decision == "replace" ? "operator" : "assistant", e.Channel, e.Note),
        InterventionEvent { Action: InterventionActions.Pause } e => new(e.Sequence, "paused", e.Timestamp, e.Operator, Note: e.Note),
        InterventionEvent { Action: InterventionActions.Takeover } e => new(e.Sequence, "taken_over", e.Timestamp, e.Operator, Note: e.Note),
        InterventionEvent { Action: InterventionActions.Release } e => new(e.Sequence, "released", e.Timestamp, e.Operator, Note: e.Note),
        MessageEvent { Role: MessageRole.Operator, InterventionId: null } m =>
            new(m.Sequence, "operator_message", m.Timestamp, m.By, Text: m.Content, Role: "operator", Channel: m.Channel),
        _ => null,
    };

    /// <summary>The <see cref="Type"/> of the last event of a delivery stream: the run ended; its <see cref="Note"/> is the status.</summary>
    public const string EndedType = "ended";

    /// <summary>Whether a run in <paramref name="status"/> has ended for its host: handed off, completed, failed or stopped. Nothing
    /// more will be delivered for it, so its delivery stream ends (docs/intervention.md).</summary>
    /// <param name="status">The run's status.</param>
    /// <returns>Whether ended.</returns>
    public static bool Ends(RunStatus status) => status is RunStatus.HandedOff or RunStatus.Completed or RunStatus.Failed or RunStatus.Stopped;

    /// <summary>The last delivery of a stream whose run ended: type <see cref="EndedType"/>, the status in <see cref="Note"/>.</summary>
    /// <param name="sequence">The last event read (the stream's cursor).</param>
    /// <param name="at">When the end was seen (server clock).</param>
    /// <param name="status">The run's final status.</param>
    /// <returns>The delivery.</returns>
    public static Delivery Ended(long sequence, DateTimeOffset at, RunStatus status) => new(sequence, EndedType, at, null, Note: RunEventJson.EnumName(status));

    /// <summary>The deliveries among stored event records, in order.</summary>
    /// <param name="records">Records of one run as <see cref="Audit.IAuditLog.GetEventRecordsAsync"/> returns them.</param>
    /// <returns>The deliveries.</returns>
    /// <exception cref="InvalidDataException">A record is not a valid event.</exception>
    public static IReadOnlyList<Delivery> FromRecords(IEnumerable<Audit.AuditEventRecord> records) =>
        [.. records.Select(r => From(RunEventJson.ReadStored(r.Sequence, r.Kind, r.PayloadJson))).OfType<Delivery>()];
}
