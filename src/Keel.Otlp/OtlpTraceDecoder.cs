using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Keel.Otlp;

/// <summary>Decodes the body of an OTLP/HTTP trace export into <see cref="ExportTraceServiceRequest"/>. A body that cannot be decoded is a
/// value (<see cref="OtlpDecodeResult.Error"/>), not an exception. Thread-safe.</summary>
public static class OtlpTraceDecoder
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>Decodes an export request.</summary>
    /// <param name="body">The (decompressed) body.</param>
    /// <param name="encoding">The encoding the content type named.</param>
    /// <returns>The request, or why it could not be decoded (with a JSON path for JSON bodies).</returns>
    public static OtlpDecodeResult Decode(ReadOnlyMemory<byte> body, OtlpEncoding encoding) =>
        encoding == OtlpEncoding.Protobuf ? DecodeProtobuf(body) : DecodeJson(body);

    private static OtlpDecodeResult DecodeProtobuf(ReadOnlyMemory<byte> body)
    {
        try
        {
            return new OtlpDecodeResult(ExportTraceServiceRequest.Parser.ParseFrom(body.Span), null);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return new OtlpDecodeResult(null, $"the body is not a protobuf ExportTraceServiceRequest: {ex.Message}");
        }
    }

    private static OtlpDecodeResult DecodeJson(ReadOnlyMemory<byte> body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body.Span, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            return new OtlpDecodeResult(null, $"the body is not JSON (line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1})");
        }

        if (root is not JsonObject)
        {
            return new OtlpDecodeResult(null, "$: an ExportTraceServiceRequest must be a JSON object");
        }

        // OTLP/JSON writes trace and span ids as hex, where the proto3 JSON mapping (and Google.Protobuf's parser) expects base64.
        if (OtlpJsonIds.ToBase64(root) is { } idError)
        {
            return new OtlpDecodeResult(null, idError);
        }

        try
        {
            return new OtlpDecodeResult(Parser.Parse<ExportTraceServiceRequest>(root.ToJsonString()), null);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return new OtlpDecodeResult(null, $"the body is not an OTLP/JSON ExportTraceServiceRequest: {ex.Message}");
        }
        catch (InvalidJsonException ex)
        {
            return new OtlpDecodeResult(null, $"the body is not an OTLP/JSON ExportTraceServiceRequest: {ex.Message}");
        }
    }
}

/// <summary>The outcome of <see cref="OtlpTraceDecoder.Decode"/>.</summary>
/// <param name="Request">The decoded request; <see langword="null"/> when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the body could not be decoded; <see langword="null"/> on success.</param>
public sealed record OtlpDecodeResult(ExportTraceServiceRequest? Request, string? Error);
