using System.IO.Compression;
using Keel.Otlp;
using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Storage;
using Keel.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Keel.Server.Ingest;

/// <summary><c>POST /v1/traces</c>: OTLP/HTTP trace export (protobuf or JSON, optionally gzip). The spans are committed to the durable
/// span buffer before the answer, so 200 means stored; <see cref="TraceAssembler"/> builds runs from them later. Broken spans are
/// rejected one by one and counted in <c>partial_success</c>; a body that cannot be decoded is 400 (ProblemDetails).</summary>
internal static class OtlpTracesApi
{
    /// <summary>Registers the ingest services (the assembler and its settings).</summary>
    public static IServiceCollection AddOtlpIngest(this IServiceCollection services)
    {
        services.AddSingleton(new OtlpIngestOptions());
        // A store without a span buffer still starts: ingest then answers 501 and the assembler has nothing to build.
        services.AddSingleton(sp => new TraceAssembler(
            sp.GetService<ISpanBuffer>(), sp.GetRequiredService<IRunStore>(), sp.GetRequiredService<KeelServerOptions>(),
            sp.GetRequiredService<OtlpIngestOptions>(), sp.GetRequiredService<Keel.Composition.KeelComponents>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<TraceAssembler>>()));
        services.AddHostedService(sp => sp.GetRequiredService<TraceAssembler>());
        return services;
    }

    /// <summary>Maps <c>POST /v1/traces</c> for agent and admin keys.</summary>
    public static IEndpointRouteBuilder MapOtlpTracesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/traces", (Delegate)ExportAsync).RequireRole(KeelRole.Agent, KeelRole.Admin).WithTags("otlp").WithName("ExportTraces");
        return app;
    }

    private static async Task<IResult> ExportAsync(HttpContext context)
    {
        var request = context.Request;
        var services = context.RequestServices;
        var options = services.GetRequiredService<OtlpIngestOptions>();
        if (Encoding(request.ContentType) is not { } encoding)
        {
            return Problems.Of(415, "unsupported-media-type", "Unsupported media type",
                $"the body's content type is '{request.ContentType ?? "(none)"}'; send application/x-protobuf or application/json (OTLP/HTTP)");
        }

        var contentEncoding = request.Headers.ContentEncoding.ToString();
        var gzip = contentEncoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && contentEncoding.Length > 0 && !contentEncoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Of(415, "unsupported-media-type", "Unsupported content encoding", $"Content-Encoding '{contentEncoding}' is not supported; send gzip or none");
        }

        var limit = options.MaxBodyBytes;
        if (request.ContentLength > limit)
        {
            return TooLarge(limit);
        }

        byte[]? body;
        try
        {
            if (gzip)
            {
                await using var unzipped = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
                body = await BoundedBody.ReadAsync(unzipped, limit, context.RequestAborted);
            }
            else
            {
                body = await BoundedBody.ReadAsync(request.Body, limit, context.RequestAborted);
            }
        }
        catch (InvalidDataException ex)
        {
            return Problems.Malformed("$", $"the body is not valid gzip: {ex.Message}");
        }

        if (body is null)
        {
            return TooLarge(limit);
        }

        var decoded = OtlpTraceDecoder.Decode(body, encoding);
        if (decoded.Request is null)
        {
            return Problems.Malformed("$", decoded.Error!);
        }

        if (services.GetService<ISpanBuffer>() is not { } buffer)
        {
            return Problems.Of(501, "not-implemented", "No span buffer", "this server's store has no span buffer for OTLP ingest; run keel serve with the SQLite or PostgreSQL store");
        }

        var batch = OtlpSpanBatch.Prepare(decoded.Request, Caller.Of(context).WorkspaceId);
        try
        {
            await buffer.AppendAsync(batch.Accepted, context.RequestAborted);
        }
        catch (StoreException)
        {
            // 503 is retryable for OTLP exporters: the batch is sent again, nothing of it was stored.
            return Problems.Of(503, "store-unavailable", "Store unavailable", "the spans could not be stored; nothing was stored, retry");
        }

        services.GetRequiredService<TraceAssembler>().Observe(batch.Accepted);
        return Results.Bytes(OtlpExportResponse.Write(batch.Rejected, batch.Message, encoding), OtlpExportResponse.ContentType(encoding));
    }

    private static OtlpEncoding? Encoding(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var type))
        {
            return null;
        }

        return type.MediaType.Equals("application/x-protobuf", StringComparison.OrdinalIgnoreCase) ? OtlpEncoding.Protobuf
            : type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ? OtlpEncoding.Json
            : null;
    }

    private static IResult TooLarge(long limit) =>
        Problems.Of(413, "payload-too-large", "Payload too large", $"the export is larger than {limit} bytes (OtlpIngestOptions.MaxBodyBytes); send smaller batches");
}
