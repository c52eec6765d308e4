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
/// <param name="Role">agent, operator or admin.</param>
/// <param name="Agent">For agent keys, the agent.</param>
public sealed record CreateKeyRequest(string? Name, string? Role, string? Agent);

/// <summary>A key as listed (never its secret).</summary>
public sealed record KeyDto(string Id, string Name, string Role, string? Agent, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    /// <summary>Maps a key.</summary>
    public static KeyDto From(ApiKey k) => new(k.Id, k.Name, RunEventJson.EnumName(k.Role), k.Agent, k.CreatedAt, k.RevokedAt);
}

/// <summary>A new key, with its secret shown this once.</summary>
public sealed record CreatedKeyDto(string Id, string Key, string Name, string Role, string? Agent);

/// <summary>A list of keys.</summary>
public sealed record KeyListDto(IReadOnlyList<KeyDto> Keys);

/// <summary>Key management for workspace admins.</summary>
internal static class KeysApi
{
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app, Func<string, bool> agentServed)
    {
        var group = app.MapGroup("/v1/keys").WithTags("keys").RequireRole(KeelRole.Admin);
        group.MapPost("/", async (CreateKeyRequest? request, HttpContext http, IApiKeyStore store) =>
        {
            if (string.IsNullOrWhiteSpace(request?.Name) || request.Name.Length > 200)
            {
                return Problems.Invalid("$.name", "name is required (1 to 200 characters)");
            }

            if (!RunEventJson.TryParseEnumName<KeelRole>(request.Role ?? string.Empty, out var role))
            {
                return Problems.Invalid("$.role", $"role '{request.Role}' is not one of agent, operator, admin");
            }

            if ((role == KeelRole.Agent) != !string.IsNullOrWhiteSpace(request.Agent))
            {
                return Problems.Invalid("$.agent", role == KeelRole.Agent ? "an agent key needs the agent it acts for" : "only agent keys name an agent");
            }

            if (role == KeelRole.Agent && !agentServed(request.Agent!))
            {
                return Problems.Invalid("$.agent", $"this server governs no agent named '{request.Agent}'");
            }

            var (record, key) = await store.CreateKeyAsync(Caller.Of(http).WorkspaceId, request.Name, role, request.Agent, http.RequestAborted);
            return TypedResults.Created($"/v1/keys/{record.Id}", new CreatedKeyDto(record.Id, key, record.Name, RunEventJson.EnumName(role), record.Agent));
        }).WithName("CreateKey");
        group.MapGet("/", async (HttpContext http, IApiKeyStore store) =>
            TypedResults.Ok(new KeyListDto([.. (await store.ListKeysAsync(Caller.Of(http).WorkspaceId, http.RequestAborted)).Select(KeyDto.From)]))).WithName("ListKeys");
        group.MapDelete("/{keyId}", async (string keyId, HttpContext http, IApiKeyStore store, AccessGuard guard) =>
            await store.RevokeKeyAsync(Caller.Of(http).WorkspaceId, keyId, http.RequestAborted)
                ? Results.NoContent()
                : await guard.MissingAsync(http, ResourceKind.ApiKey, "key", keyId)).WithName("RevokeKey");
        return app;
    }
}
