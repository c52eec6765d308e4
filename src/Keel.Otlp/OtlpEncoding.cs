namespace Keel.Otlp;

/// <summary>The two OTLP/HTTP body encodings (OTLP specification, "OTLP/HTTP").</summary>
public enum OtlpEncoding
{
    /// <summary><c>application/x-protobuf</c>: the binary protobuf encoding of <c>ExportTraceServiceRequest</c>.</summary>
    Protobuf,

    /// <summary><c>application/json</c>: the proto3 JSON mapping with OTLP's exceptions (hex trace and span ids, lowerCamelCase or
    /// original field names, enums as integers).</summary>
    Json,
}
