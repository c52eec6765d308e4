using System.Text.Json;
using Keel.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Keel.Server.Hosting;

/// <summary>Turns exceptions into ProblemDetails: a malformed request is 400 with what was wrong, a store failure 503, anything
/// else 500 without internals (the log has them).</summary>
internal sealed partial class KeelExceptionHandler(ILogger<KeelExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var result = exception switch
        {
            BadHttpRequestException bad => Problems.Of(bad.StatusCode, "malformed-request", "Malformed request",
                bad.InnerException is JsonException json ? $"the body is not valid JSON for this endpoint: {json.Message}" : bad.Message),
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
