using System.Text.Json;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Keel.Server.Tests.Ingest;

/// <summary>Builds OTLP spans of an agent run the way a GenAI-instrumented agent emits them (current and previous conventions).</summary>
internal static class OtlpTraces
{
    public static readonly DateTimeOffset Start = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    public static byte[] NewTraceId() => Guid.NewGuid().ToByteArray();

    public static string Hex(byte[] id) => Convert.ToHexStringLower(id);

    public static Span Span(byte[] traceId, ulong spanId, ulong? parent, string name, int startMs, int endMs, params (string Key, object Value)[] attributes)
    {
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(traceId),
            SpanId = ByteString.CopyFrom(BitConverter.GetBytes(spanId)),
            Name = name,
            Kind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind.Internal,
            StartTimeUnixNano = Nanos(startMs),
            EndTimeUnixNano = Nanos(endMs),
        };
        if (parent is { } p)
        {
            span.ParentSpanId = ByteString.CopyFrom(BitConverter.GetBytes(p));
        }

        foreach (var (key, value) in attributes)
        {
            span.Attributes.Add(Attribute(key, value));
        }

        return span;
    }

    public static KeyValue Attribute(string key, object value) => new()
    {
        Key = key,
        Value = value switch
        {
            long l => new AnyValue { IntValue = l },
            int i => new AnyValue { IntValue = i },
            _ => new AnyValue { StringValue = value as string ?? JsonSerializer.Serialize(value) },
        },
    };

    public static ExportTraceServiceRequest Request(params Span[] spans)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "test-agent" } };
        scope.Spans.AddRange(spans);
        var resource = new ResourceSpans { Resource = new Resource() };
        resource.Resource.Attributes.Add(Attribute("service.name", "refund-service"));
        resource.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resource);
        return request;
    }

    /// <summary>A refund-desk run in the current conventions: the user asks to delete the account, the model calls delete_account
    /// (which the bundle forbids), the tool answers, the model replies.</summary>
    public static Span[] DeleteAccountRun(byte[] traceId) =>
    [
        Span(traceId, 1, null, "invoke_agent refund-desk", 0, 1000, ("gen_ai.operation.name", "invoke_agent"), ("gen_ai.agent.name", "refund-desk")),
        Span(traceId, 2, 1, "chat gpt-4o", 10, 200, ("gen_ai.operation.name", "chat"), ("gen_ai.request.model", "gpt-4o"),
            ("gen_ai.usage.input_tokens", 120L), ("gen_ai.usage.output_tokens", 30L),
            ("gen_ai.input.messages", new object[] { new { role = "user", parts = new object[] { new { type = "text", content = "Please delete my account u-7." } } } }),
            ("gen_ai.output.messages", new object[] { new { role = "assistant", parts = new object[] { new { type = "tool_call", id = "call_1", name = "delete_account", arguments = new { user_id = "u-7" } } }, finish_reason = "tool_call" } })),
        Span(traceId, 3, 1, "execute_tool delete_account", 210, 300, ("gen_ai.operation.name", "execute_tool"), ("gen_ai.tool.name", "delete_account"),
            ("gen_ai.tool.call.id", "call_1"), ("gen_ai.tool.call.arguments", "{\"user_id\":\"u-7\"}"), ("gen_ai.tool.call.result", "{\"deleted\":true}")),
        Span(traceId, 4, 1, "chat gpt-4o", 310, 500, ("gen_ai.operation.name", "chat"), ("gen_ai.request.model", "gpt-4o"),
            ("gen_ai.input.messages", new object[]
            {
                new { role = "user", parts = new object[] { new { type = "text", content = "Please delete my account u-7." } } },
                new { role = "assistant", parts = new object[] { new { type = "tool_call", id = "call_1", name = "delete_account", arguments = new { user_id = "u-7" } } } },
                new { role = "tool", parts = new object[] { new { type = "tool_call_response", id = "call_1", response = "{\"deleted\":true}" } } },
            }),
            ("gen_ai.output.messages", new object[] { new { role = "assistant", parts = new object[] { new { type = "text", content = "Your account u-7 is deleted." } }, finish_reason = "stop" } })),
    ];

    private static ulong Nanos(int ms) => (ulong)(Start.AddMilliseconds(ms).ToUnixTimeMilliseconds() * 1_000_000L);
}
