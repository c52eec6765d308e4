using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Storage;
using ApiContracts = Keel.Sdk.InProcess.ApiContracts;
using Keel.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Keel.Sdk.Api;

namespace Keel.Server.Keys;

/// <summary>Key management for workspace admins.</summary>
internal static class KeysApi
{
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app, Func<string, string, CancellationToken, Task<bool>> agentServed)
    {
        var group = app.MapGroup("/v1/keys").WithTags("keys").RequireRole(KeelRole.Admin);
        group.MapPost("/", async (CreateKeyRequest? request, HttpContext http, IApiKeyStore store, AccessGuard guard) =>
        {
            var (role, invalid, forbidden) = await KeyRequests.CheckAsync(request, http, guard, agent => agentServed(Caller.Of(http).WorkspaceId, agent, http.RequestAborted));
            if (invalid is not null || forbidden is not null)
            {
                return (IResult?)invalid ?? forbidden!;
            }

            var (record, key) = await store.CreateKeyAsync(Caller.Of(http).WorkspaceId, request!.Name!, role, request.Agent, http.RequestAborted);
            return TypedResults.Created($"/v1/keys/{record.Id}", ApiContracts.ToApi(record, key));
        }).WithName("CreateKey").Produces<Keel.Sdk.Api.ApiNewKey>(StatusCodes.Status201Created);
        group.MapGet("/", async (HttpContext http, IApiKeyStore store) =>
            TypedResults.Ok(new KeyList([.. (await store.ListKeysAsync(Caller.Of(http).WorkspaceId, http.RequestAborted)).Select(k => ApiContracts.ToApi(k))]))).WithName("ListKeys").Produces<KeyList>();
        group.MapDelete("/{keyId}", async (string keyId, HttpContext http, IApiKeyStore store, AccessGuard guard) =>
        {
            var caller = Caller.Of(http);
            var keys = await store.ListKeysAsync(caller.WorkspaceId, http.RequestAborted);
            if (keys.Any(k => k.Id == keyId && k.Role == KeelRole.PlatformAdmin) && !caller.Is(KeelRole.PlatformAdmin))
            {
                return await guard.RefuseAsync(http, "only a platform_admin key may revoke a platform_admin key");
            }

            return await store.RevokeKeyAsync(caller.WorkspaceId, keyId, http.RequestAborted)
                ? Results.NoContent()
                : await guard.MissingAsync(http, ResourceKind.ApiKey, "key", keyId);
        }).WithName("RevokeKey");
        return app;
    }
}
