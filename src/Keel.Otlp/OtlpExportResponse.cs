using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Keel.Otlp;

/// <summary>Writes the <c>ExportTraceServiceResponse</c> of an export in the request's encoding (OTLP/HTTP: "the response body MUST be
/// the appropriate serialized Protobuf message" in the same encoding as the request).</summary>
public static class OtlpExportResponse
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    /// <summary>The response body.</summary>
    /// <param name="rejectedSpans">How many spans were rejected; 0 for full success.</param>
    /// <param name="errorMessage">Why (names the first broken spans); empty for full success.</param>
    /// <param name="encoding">The request's encoding.</param>
    /// <returns>The body bytes: an empty message when everything was accepted, otherwise one with <c>partial_success</c>.</returns>
    public static byte[] Write(long rejectedSpans, string errorMessage, OtlpEncoding encoding)
    {
        var response = new ExportTraceServiceResponse();
        if (rejectedSpans > 0 || errorMessage.Length > 0)
        {
            response.PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = rejectedSpans, ErrorMessage = errorMessage };
        }

        return encoding == OtlpEncoding.Protobuf ? response.ToByteArray() : System.Text.Encoding.UTF8.GetBytes(Formatter.Format(response));
    }

    /// <summary>The content type of a response body in <paramref name="encoding"/>.</summary>
    /// <param name="encoding">The encoding.</param>
    /// <returns><c>application/x-protobuf</c> or <c>application/json</c>.</returns>
    public static string ContentType(OtlpEncoding encoding) => encoding == OtlpEncoding.Protobuf ? "application/x-protobuf" : "application/json";
}
