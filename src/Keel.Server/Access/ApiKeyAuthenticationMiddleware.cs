using Keel.Server.Hosting;
using Keel.Tenancy;
using Microsoft.AspNetCore.Http;

namespace Keel.Server.Access;

/// <summary>Authenticates every <c>/v1</c> and <c>/mcp</c> request by its <c>Authorization: Bearer keel_…</c> key; anything else is
/// answered 401.</summary>
internal sealed class ApiKeyAuthenticationMiddleware(RequestDelegate next, IApiKeyStore store)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal) && !context.Request.Path.StartsWithSegments("/mcp", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var key = presented is null ? null : await store.AuthenticateAsync(presented, context.RequestAborted);
        if (key is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.Of(401, "unauthenticated", "Unauthenticated",
                presented is null ? "send 'Authorization: Bearer <key>' with a Keel API key" : "the API key is unknown, revoked or malformed")
                .ExecuteAsync(context);
            return;
        }

        Caller.Set(context, new Caller(key));
        await next(context);
    }
}
