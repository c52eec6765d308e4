namespace Keel.Storage;

/// <summary>The durable buffer of OpenTelemetry spans received by <c>POST /v1/traces</c> whose trace has not yet been built into a run:
/// an export is acknowledged only after <see cref="AppendAsync"/> committed, so a crash after the acknowledgement loses no span.</summary>
/// <remarks>Implementations are thread-safe. Spans are opaque bytes here (one OTLP <c>Span</c> message each); Core never decodes them.</remarks>
public interface ISpanBuffer
{
    /// <summary>Stores the spans of one export in one transaction: all of them or none.</summary>
    /// <param name="spans">The spans grouped by trace, in the order received.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is written when cancelled.</param>
    /// <returns>A task that completes when the transaction has committed (durably, per the store's synchronous setting).</returns>
    /// <exception cref="StoreException">The write failed; nothing was stored.</exception>
    Task AppendAsync(IReadOnlyList<BufferedSpans> spans, CancellationToken cancellationToken = default);

    /// <summary>Reads every buffered span of several traces at once (one read, so a batch of traces waits at most once behind
    /// appends being committed).</summary>
    /// <param name="traces">The traces to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One entry per trace, in the order asked: the stored payloads in the order stored, and the highest buffer sequence number
    /// among them (0 and no payloads when the trace has none).</returns>
    /// <exception cref="StoreException">The read failed.</exception>
    Task<IReadOnlyList<BufferedTrace>> ReadTracesAsync(IReadOnlyList<TraceKey> traces, CancellationToken cancellationToken = default);

    /// <summary>Removes the spans of built traces, each up to a sequence number (those its run holds), in one transaction; spans stored
    /// later stay.</summary>
    /// <param name="traces">The traces and, for each, the highest sequence number to remove (<see cref="BufferedTrace.LastSequence"/>).</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>A task that completes when the delete has committed.</returns>
    /// <exception cref="StoreException">The delete failed; nothing was removed.</exception>
    Task RemoveTracesAsync(IReadOnlyList<BuiltTrace> traces, CancellationToken cancellationToken = default);

    /// <summary>Lists the traces that have buffered spans, e.g. after a restart.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One entry per (workspace, trace) with its span count and whether a root span is among them.</returns>
    Task<IReadOnlyList<PendingTrace>> ListPendingAsync(CancellationToken cancellationToken = default);
}

/// <summary>The spans of one trace that arrived in one export, stored as one record.</summary>
/// <param name="WorkspaceId">The workspace of the key that sent them.</param>
/// <param name="TraceId">The trace id, 32 lower-case hex digits.</param>
/// <param name="HasRoot">Whether a span without a parent is among them (its end completes the trace).</param>
/// <param name="SpanCount">How many spans the payload holds (at least 1).</param>
/// <param name="Payload">The spans as sent: one OTLP <c>ScopeSpans</c> protobuf message holding them, with the resource's
/// <c>service.name</c> folded into each span's attributes.</param>
public sealed record BufferedSpans(string WorkspaceId, string TraceId, bool HasRoot, int SpanCount, byte[] Payload);

/// <summary>The buffered spans of one trace.</summary>
/// <param name="Spans">The payloads (<see cref="BufferedSpans.Payload"/>) in the order stored.</param>
/// <param name="LastSequence">The highest buffer sequence number read; 0 when there were none.</param>
public sealed record BufferedTrace(IReadOnlyList<byte[]> Spans, long LastSequence);

/// <summary>A trace of a workspace.</summary>
/// <param name="WorkspaceId">The workspace the spans were sent to.</param>
/// <param name="TraceId">The trace id, 32 lower-case hex digits.</param>
public sealed record TraceKey(string WorkspaceId, string TraceId);

/// <summary>A trace whose run was built from its buffered spans up to <paramref name="UpToSequence"/>.</summary>
/// <param name="WorkspaceId">The workspace.</param>
/// <param name="TraceId">The trace id.</param>
/// <param name="UpToSequence">The highest buffer sequence number the run was built from.</param>
public sealed record BuiltTrace(string WorkspaceId, string TraceId, long UpToSequence);

/// <summary>A trace with buffered spans.</summary>
/// <param name="WorkspaceId">The workspace.</param>
/// <param name="TraceId">The trace id.</param>
/// <param name="SpanCount">How many spans are buffered.</param>
/// <param name="HasRoot">Whether a root span is among them.</param>
public sealed record PendingTrace(string WorkspaceId, string TraceId, int SpanCount, bool HasRoot);
