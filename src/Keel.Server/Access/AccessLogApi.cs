using Keel.Server.Hosting;
using Keel.Storage;
using Keel.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keel.Server.Access;

/// <summary>One refused access of the workspace.</summary>
/// <param name="At">When (UTC).</param>
/// <param name="KeyId">The key that was refused.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path.</param>
/// <param name="Status">The status answered (403).</param>
/// <param name="Reason">Why.</param>
public sealed record AccessLogEntryDto(DateTimeOffset At, string KeyId, string Method, string Path, int Status, string Reason);

/// <summary>A page of the access log.</summary>
public sealed record AccessLogDto(IReadOnlyList<AccessLogEntryDto> Entries);

/// <summary><c>GET /v1/access-log</c> (admin): the workspace's refused accesses, newest first.</summary>
internal static class AccessLogApi
{
    public static IEndpointRouteBuilder MapAccessLogApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/access-log", async (HttpContext http, IAccessLog store, string? limit) =>
        {
            var (count, problem) = QueryInteger.Parse(limit, "limit", 1, 10_000, 100);
            if (problem is not null)
            {
                return problem;
            }

            var entries = await store.ListAccessLogAsync(Caller.Of(http).WorkspaceId, (int)count, http.RequestAborted);
            return Results.Ok(new AccessLogDto([.. entries.Select(e => new AccessLogEntryDto(e.At, e.KeyId, e.Method, e.Path, e.StatusCode, e.Reason))]));
        }).RequireRole(KeelRole.Admin).WithTags("access").WithName("ListAccessLog");
        return app;
    }
}
