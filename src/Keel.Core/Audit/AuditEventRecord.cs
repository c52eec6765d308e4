namespace Keel.Audit;

/// <summary>One stored event as the audit chain sees it: its place, its stored JSON and its two hashes.</summary>
/// <param name="WorkspaceId">The workspace.</param>
/// <param name="RunId">The run.</param>
/// <param name="Sequence">The 1-based sequence number it is stored under.</param>
/// <param name="Kind">The snake_case kind it is stored under, e.g. <c>tool_call</c>.</param>
/// <param name="Timestamp">The time it is stored under; <see cref="DateTimeOffset.MinValue"/> when the stored text is not a time.</param>
/// <param name="PayloadJson">The event's JSON as stored (redacted).</param>
/// <param name="PreviousHash">The hash of the event before it in the run (or the run's genesis hash); <see langword="null"/> when missing.</param>
/// <param name="Hash">Its own hash (<see cref="AuditHash.Event"/>); <see langword="null"/> when missing.</param>
public sealed record AuditEventRecord(
    string WorkspaceId,
    string RunId,
    long Sequence,
    string Kind,
    DateTimeOffset Timestamp,
    string PayloadJson,
    string? PreviousHash,
    string? Hash);
