using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Keel.Server.Hosting;

/// <summary>Reads the body of every <c>POST</c>/<c>PUT</c>/<c>PATCH /v1/…</c> once, before idempotency and the endpoints, and
/// answers a body Keel cannot read with a problem that says why: more than <see cref="KeelServerOptions.MaxRequestBodyBytes"/>
/// is 413 (<c>payload-too-large</c>); a body that is not <c>application/json</c> (or <c>+json</c>, UTF-8) is 415
/// (<c>unsupported-media-type</c>); JSON that does not pass <see cref="JsonInput.Check(ReadOnlySpan{byte}, string)"/> (syntax,
/// nesting, UTF-8, lone surrogate escapes) is 400 (<c>malformed-request</c>) naming the JSON path. A rejected body claims no
/// idempotency key and reaches no endpoint.</summary>
/// <remarks><c>/v1/traces</c> (OTLP ingest: protobuf or JSON, gzip, its own size limit) reads its own body. An empty body passes with or without a content type (the endpoints whose body is optional take it as absent). The
/// body is buffered in memory (at most the limit) and handed on as a seekable stream.</remarks>
internal sealed class JsonBodyMiddleware(RequestDelegate next, KeelServerOptions options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!(HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method))
            || !request.Path.StartsWithSegments("/v1", StringComparison.Ordinal)
            || request.Path.StartsWithSegments("/v1/traces", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var limit = options.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            await TooLarge(limit).ExecuteAsync(context);
            return;
        }

        var body = await BoundedBody.ReadAsync(request.Body, limit, context.RequestAborted);
        if (body is null)
        {
            await TooLarge(limit).ExecuteAsync(context);
            return;
        }

        if ((body.Length > 0 || !string.IsNullOrEmpty(request.ContentType)) && !IsJson(request))
        {
            await Problems.Of(415, "unsupported-media-type", "Unsupported media type",
                $"the body's content type is '{Shorten(request.ContentType)}'; send application/json (UTF-8)").ExecuteAsync(context);
            return;
        }

        if (body.Length > 0 && JsonInput.Check(body) is { } problem)
        {
            await Problems.Malformed(problem.Path, problem.Message).ExecuteAsync(context);
            return;
        }

        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
        if (body.Length > 0)
        {
            // The body is checked UTF-8 JSON: the endpoints read it under one plain content type, whatever spelling was sent
            // (a quoted charset, a +json subtype).
            request.ContentType = "application/json; charset=utf-8";
        }

        await next(context);
    }

    private static IResult TooLarge(long limit) =>
        Problems.Of(413, "payload-too-large", "Payload too large", $"the body is larger than {limit} bytes, the most this server accepts");

    private static bool IsJson(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
        {
            return false;
        }

        var json = type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.MediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        var charset = type.Charset.ToString().Trim('"');
        return json && (charset.Length == 0 || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));
    }

    private static string Shorten(string? contentType) =>
        string.IsNullOrEmpty(contentType) ? "(none)" : contentType.Length > 100 ? contentType[..100] + "…" : contentType;
}
