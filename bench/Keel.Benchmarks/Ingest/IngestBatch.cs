using System.Buffers.Binary;
using System.Text.Json;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Keel.Benchmarks.Ingest;

/// <summary>One protobuf <c>ExportTraceServiceRequest</c> of GenAI agent traces, serialized once; each <see cref="Next"/> copies it
/// with fresh trace ids written at the ids' byte offsets, so every export carries new traces without serializing again.</summary>
internal sealed class IngestBatch
{
    private static readonly byte[] Marker = "KEELTRCE"u8.ToArray();
    private readonly byte[] _template;
    private readonly int[] _idOffsets;
    private int _counter;

    /// <param name="spans">Spans per export (a multiple of <paramref name="spansPerTrace"/>).</param>
    /// <param name="spansPerTrace">Spans per trace: one invoke_agent root, then chat and execute_tool spans alternating.</param>
    public IngestBatch(int spans, int spansPerTrace)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "bench-agent" } };
        var traces = spans / spansPerTrace;
        for (var t = 0; t < traces; t++)
        {
            var traceId = new byte[16];
            Marker.CopyTo(traceId, 0);
            BinaryPrimitives.WriteInt32BigEndian(traceId.AsSpan(8), t);
            for (var s = 0; s < spansPerTrace; s++)
            {
                scope.Spans.Add(SpanOf(traceId, s));
            }
        }

        SpansPerExport = traces * spansPerTrace;
        var resource = new ResourceSpans { Resource = new Resource { Attributes = { Kv("service.name", "bench-service") } } };
        resource.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resource);
        _template = request.ToByteArray();
        var offsets = new List<int>();
        for (var i = _template.AsSpan().IndexOf(Marker); i >= 0;)
        {
            offsets.Add(i);
            var next = _template.AsSpan(i + 1).IndexOf(Marker);
            i = next < 0 ? -1 : i + 1 + next;
        }

        _idOffsets = [.. offsets];
    }

    /// <summary>Spans in each export.</summary>
    public int SpansPerExport { get; }

    /// <summary>Bytes of each export.</summary>
    public int Bytes => _template.Length;

    /// <summary>A copy of the export with trace ids no earlier call returned.</summary>
    public byte[] Next()
    {
        var body = (byte[])_template.Clone();
        var n = Interlocked.Increment(ref _counter);
        foreach (var offset in _idOffsets)
        {
            // Bytes 12..15 of each trace id: the export's number (bytes 8..11 keep the trace's index in the export).
            BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(offset + 12), n);
        }

        return body;
    }

    private static Span SpanOf(byte[] traceId, int index)
    {
        var start = 1_764_000_000_000_000_000UL + ((ulong)index * 1_000_000UL);
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(traceId),
            SpanId = ByteString.CopyFrom(BitConverter.GetBytes((ulong)index + 1)),
            StartTimeUnixNano = start,
            EndTimeUnixNano = start + 500_000UL,
            Kind = Span.Types.SpanKind.Internal,
        };
        if (index == 0)
        {
            span.Name = "invoke_agent bench-agent";
            span.EndTimeUnixNano = start + 100_000_000UL;
            span.Attributes.Add([Kv("gen_ai.operation.name", "invoke_agent"), Kv("gen_ai.agent.name", "bench-agent")]);
            return span;
        }

        span.ParentSpanId = ByteString.CopyFrom(BitConverter.GetBytes(1UL));
        if (index % 2 == 1)
        {
            span.Name = "chat gpt-4o";
            span.Attributes.Add([Kv("gen_ai.operation.name", "chat"), Kv("gen_ai.request.model", "gpt-4o"),
                new KeyValue { Key = "gen_ai.usage.input_tokens", Value = new AnyValue { IntValue = 420 } },
                new KeyValue { Key = "gen_ai.usage.output_tokens", Value = new AnyValue { IntValue = 38 } },
                Kv("gen_ai.input.messages", JsonSerializer.Serialize(new[] { new { role = "user", parts = new[] { new { type = "text", content = $"Where is my order {index}? It was due yesterday." } } } })),
                Kv("gen_ai.output.messages", JsonSerializer.Serialize(new[] { new { role = "assistant", parts = new[] { new { type = "text", content = "Let me look that up for you." } } } }))]);
        }
        else
        {
            span.Name = "execute_tool get_order";
            span.Attributes.Add([Kv("gen_ai.operation.name", "execute_tool"), Kv("gen_ai.tool.name", "get_order"), Kv("gen_ai.tool.call.id", $"call_{index}"),
                Kv("gen_ai.tool.call.arguments", $"{{\"order_id\":\"{index}\"}}"), Kv("gen_ai.tool.call.result", "{\"status\":\"shipped\",\"eta\":\"2026-12-07\"}")]);
        }

        return span;
    }

    private static KeyValue Kv(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
}
