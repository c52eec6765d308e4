using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Storage;
using Keel.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keel.Server.Keys;

/// <summary>Body of <c>POST /v1/keys</c>.</summary>
/// <param name="Name">Who holds the key.</param>
/// <param name="Role">agent, operator, admin or platform_admin (only a platform admin may create a platform_admin key).</param>
/// <param name="Agent">For agent keys, the agent.</param>
public sealed record CreateKeyRequest(string? Name, string? Role, string? Agent);

/// <summary>A key as listed (never its secret).</summary>
public sealed record KeyDto(string Id, string Name, string Role, string? Agent, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    /// <summary>Maps a key.</summary>
    public static KeyDto From(ApiKey k) => new(k.Id, k.Name, KeelRoles.Name(k.Role), k.Agent, k.CreatedAt, k.RevokedAt);
}

/// <summary>A new key, with its secret shown this once.</summary>
public sealed record CreatedKeyDto(string Id, string Key, string Name, string Role, string? Agent)
{
    /// <summary>Maps a new key and its text.</summary>
    public static CreatedKeyDto From(ApiKey k, string key) => new(k.Id, key, k.Name, KeelRoles.Name(k.Role), k.Agent);
}

/// <summary>A list of keys.</summary>
public sealed record KeyListDto(IReadOnlyList<KeyDto> Keys);

/// <summary>Key management for workspace admins.</summary>
internal static class KeysApi
{
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app, Func<string, bool> agentServed)
    {
        var group = app.MapGroup("/v1/keys").WithTags("keys").RequireRole(KeelRole.Admin);
        group.MapPost("/", async (CreateKeyRequest? request, HttpContext http, IApiKeyStore store, AccessGuard guard) =>
        {
            var (role, invalid, forbidden) = await KeyRequests.CheckAsync(request, http, guard, agentServed);
            if (invalid is not null || forbidden is not null)
            {
                return (IResult?)invalid ?? forbidden!;
            }

            var (record, key) = await store.CreateKeyAsync(Caller.Of(http).WorkspaceId, request!.Name!, role, request.Agent, http.RequestAborted);
            return TypedResults.Created($"/v1/keys/{record.Id}", CreatedKeyDto.From(record, key));
        }).WithName("CreateKey");
        group.MapGet("/", async (HttpContext http, IApiKeyStore store) =>
            TypedResults.Ok(new KeyListDto([.. (await store.ListKeysAsync(Caller.Of(http).WorkspaceId, http.RequestAborted)).Select(KeyDto.From)]))).WithName("ListKeys");
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
