using Keel.Server.Hosting;
using Keel.Storage;
using Keel.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Keel.Server.Access;

/// <summary>Least-privilege checks: roles per endpoint, and "another workspace's id" answered 403 and recorded in the access log.</summary>
internal sealed class AccessGuard(IResourceOwners owners, IAccessLog accessLog, TimeProvider time)
{
    /// <summary>Answers for an id the caller's workspace does not have: 403 (recorded) when another workspace has it, else 404.</summary>
    public async Task<IResult> MissingAsync(HttpContext context, ResourceKind kind, string what, string id) =>
        await OwnedElsewhereAsync(context, kind, id)
            ? await RefuseAsync(context, $"{what} '{id}' belongs to another workspace")
            : Problems.NotFound(what, id);

    /// <summary>Whether a workspace other than the caller's has this id.</summary>
    public async Task<bool> OwnedElsewhereAsync(HttpContext context, ResourceKind kind, string id)
    {
        var caller = Caller.Of(context);
        var found = await owners.OwnersOfAsync(kind, id, context.RequestAborted);
        return found.Any(o => o != caller.WorkspaceId);
    }

    /// <summary>Records a refusal in the access log and answers 403.</summary>
    public async Task<ProblemHttpResult> RefuseAsync(HttpContext context, string reason)
    {
        await RecordAsync(context, reason);
        return Problems.Typed(403, "forbidden", "Forbidden", reason);
    }

    /// <summary>Records a refusal in the access log (status 403) without answering: for refusals the pipeline answers itself.</summary>
    public Task RecordAsync(HttpContext context, string reason)
    {
        var caller = Caller.Of(context);
        return accessLog.LogAccessAsync(new AccessLogEntry(time.GetUtcNow(), caller.WorkspaceId, caller.Key.Id, context.Request.Method,
            context.Request.Path.ToString(), 403, reason), CancellationToken.None);
    }
}

/// <summary>Adds role checks to endpoints.</summary>
internal static class RoleFilter
{
    /// <summary>Lets only callers with one of <paramref name="roles"/> reach the endpoint; others get 403 (recorded).</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, params KeelRole[] roles)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var caller = Caller.Of(context.HttpContext);
            if (caller.Is(roles))
            {
                return await next(context);
            }

            var guard = context.HttpContext.RequestServices.GetRequiredService<AccessGuard>();
            return await guard.RefuseAsync(context.HttpContext,
                $"a {KeelRoles.Name(caller.Key.Role)} key may not do this; it needs {string.Join(" or ", roles.Select(KeelRoles.Name))}");
        });
}
