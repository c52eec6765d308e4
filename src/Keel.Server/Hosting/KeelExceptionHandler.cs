using System.Text.Json;
using Keel.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Keel.Server.Hosting;

/// <summary>Turns exceptions into ProblemDetails: a body the endpoint cannot bind is 400 naming the JSON path, any other malformed
/// request 400 with what was wrong, a store failure 503, anything else 500 without internals (the log has them).</summary>
/// <remarks>Bodies reach the endpoints only after <see cref="JsonBodyMiddleware"/> checked their syntax, so a <see cref="JsonException"/>
/// while binding means a value the field's type cannot hold: a string where a number belongs, a number above the field's range
/// (e.g. above Int64 for a token count), an object where a string belongs.</remarks>
internal sealed partial class KeelExceptionHandler(ILogger<KeelExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var result = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => Problems.Malformed(json.Path ?? "$",
                "the value has the wrong type for this field, or is a number outside the field's range; see docs/gateway-api.md"),
            BadHttpRequestException bad => Problems.Of(bad.StatusCode, bad.StatusCode == 400 ? "malformed-request" : Problems.ForStatus(bad.StatusCode, httpContext).Name,
                "Malformed request", bad.Message),
            StoreException => Problems.Of(503, "store-unavailable", "Store unavailable", "the database could not complete the request; nothing was changed. Retry later."),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => null,
            _ => Problems.Of(500, "internal-error", "Internal error", "the server failed; the log has the details"),
        };
        if (result is null)
        {
            return true;
        }

        if (exception is not BadHttpRequestException)
        {
            LogFailure(logger, httpContext.Request.Method, httpContext.Request.Path.ToString(), exception);
        }

        await result.ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "request {Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, string method, string path, Exception exception);
}
