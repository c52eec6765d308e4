using Google.Protobuf;
using Keel.Storage;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Keel.Otlp;

/// <summary>Splits an export request into the spans to buffer and the broken ones to reject. A span is broken when its
/// <c>trace_id</c> is not 16 bytes or is all zero, its <c>span_id</c> is not 8 bytes or is all zero, its <c>parent_span_id</c> is
/// neither empty nor 8 bytes, or it ends before it starts (trace.proto: "An ID with all zeroes OR of length other than 16 bytes is
/// considered invalid"; "it is expected that end_time &gt;= start_time").</summary>
public static class OtlpSpanBatch
{
    /// <summary>The resource attribute folded into each buffered span (when the span lacks it), so a trace's spans keep their service.</summary>
    public const string ServiceName = "service.name";

    /// <summary>Prepares the spans of one export for the buffer, grouped by trace.</summary>
    /// <param name="request">The decoded request.</param>
    /// <param name="workspaceId">The workspace of the key that sent it.</param>
    /// <returns>The spans to store, how many were rejected and a message naming the first broken ones (empty when none).</returns>
    public static PreparedBatch Prepare(ExportTraceServiceRequest request, string workspaceId)
    {
        ArgumentNullException.ThrowIfNull(request);
        var traces = new Dictionary<string, (ScopeSpans Spans, bool HasRoot)>(StringComparer.Ordinal);
        var rejected = 0;
        var reasons = new List<string>(3);
        for (var r = 0; r < request.ResourceSpans.Count; r++)
        {
            var resource = request.ResourceSpans[r];
            var service = resource.Resource?.Attributes.FirstOrDefault(a => a.Key == ServiceName);
            for (var s = 0; s < resource.ScopeSpans.Count; s++)
            {
                var spans = resource.ScopeSpans[s].Spans;
                for (var i = 0; i < spans.Count; i++)
                {
                    var span = spans[i];
                    if (Check(span) is { } problem)
                    {
                        rejected++;
                        if (reasons.Count < 3)
                        {
                            reasons.Add($"resourceSpans[{r}].scopeSpans[{s}].spans[{i}] ('{Shorten(span.Name)}'): {problem}");
                        }

                        continue;
                    }

                    if (service is not null && !span.Attributes.Any(a => a.Key == ServiceName))
                    {
                        span.Attributes.Add(new KeyValue { Key = ServiceName, Value = service.Value });
                    }

                    var traceId = Convert.ToHexStringLower(span.TraceId.Span);
                    if (!traces.TryGetValue(traceId, out var trace))
                    {
                        trace = (new ScopeSpans(), false);
                    }

                    trace.Spans.Spans.Add(span);
                    traces[traceId] = (trace.Spans, trace.HasRoot || span.ParentSpanId.IsEmpty);
                }
            }
        }

        // One record per trace: a ScopeSpans message holding the trace's spans of this export.
        var accepted = traces.Select(t => new BufferedSpans(workspaceId, t.Key, t.Value.HasRoot, t.Value.Spans.Spans.Count, t.Value.Spans.ToByteArray())).ToList();
        var message = rejected == 0 ? string.Empty
            : $"{rejected} span(s) rejected: {string.Join("; ", reasons)}{(rejected > reasons.Count ? $" (+{rejected - reasons.Count} more)" : string.Empty)}";
        return new PreparedBatch(accepted, rejected, message);
    }

    private static string? Check(Span span)
    {
        if (span.TraceId.Length != 16 || IsZero(span.TraceId))
        {
            return $"trace_id must be 16 bytes, not all zero (has {span.TraceId.Length})";
        }

        if (span.SpanId.Length != 8 || IsZero(span.SpanId))
        {
            return $"span_id must be 8 bytes, not all zero (has {span.SpanId.Length})";
        }

        if (!span.ParentSpanId.IsEmpty && span.ParentSpanId.Length != 8)
        {
            return $"parent_span_id must be empty or 8 bytes (has {span.ParentSpanId.Length})";
        }

        return span.EndTimeUnixNano < span.StartTimeUnixNano ? "end_time_unix_nano is before start_time_unix_nano" : null;
    }

    private static bool IsZero(ByteString id)
    {
        foreach (var b in id.Span)
        {
            if (b != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
}

/// <summary>An export split by <see cref="OtlpSpanBatch.Prepare"/>.</summary>
/// <param name="Accepted">The spans to buffer, one record per trace, in the order the traces first appeared.</param>
/// <param name="Rejected">How many spans were broken.</param>
/// <param name="Message">The <c>partial_success.error_message</c>: the count and the first three broken spans by path; empty when none.</param>
public sealed record PreparedBatch(IReadOnlyList<BufferedSpans> Accepted, int Rejected, string Message);
