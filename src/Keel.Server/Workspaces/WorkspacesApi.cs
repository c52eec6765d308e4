using Keel.Model;
using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Server.Keys;
using Keel.Storage;
using ApiContracts = Keel.Sdk.InProcess.ApiContracts;
using Keel.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Keel.Sdk.Api;

namespace Keel.Server.Workspaces;

/// <summary>Body of <c>POST /v1/workspaces</c>.</summary>
/// <param name="Name">The display name, 1 to 200 characters.</param>
/// <param name="Id">The id (<see cref="WorkspaceIds.Rule"/>); derived from the name when absent (<see cref="WorkspaceIds.FromName"/>).</param>
public sealed record CreateWorkspaceRequest(string? Name, string? Id);

/// <summary>A workspace as listed.</summary>
/// <param name="Id">The id.</param>
/// <param name="Name">The display name.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
public sealed record WorkspaceDto(string Id, string Name, DateTimeOffset CreatedAt)
{
    /// <summary>Maps a stored workspace.</summary>
    public static WorkspaceDto From(WorkspaceRecord w) => new(w.Id, w.Name, w.CreatedAt);
}

/// <summary>A new workspace with its first admin key, the key shown this once.</summary>
/// <param name="Id">The id.</param>
/// <param name="Name">The display name.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="AdminKey">The workspace's first key (role <c>admin</c>, name <c>admin</c>): hand it to the workspace's administrator.</param>
public sealed record CreatedWorkspaceDto(string Id, string Name, DateTimeOffset CreatedAt, ApiNewKey AdminKey);

/// <summary>Every workspace, oldest first.</summary>
public sealed record WorkspaceListDto(IReadOnlyList<WorkspaceDto> Workspaces);

/// <summary><c>/v1/workspaces</c>: creating and listing workspaces, and creating a key in any of them — for platform admins only
/// (<see cref="KeelRole.PlatformAdmin"/>; everyone else gets 403, recorded in the access log).</summary>
internal static class WorkspacesApi
{
    public static IEndpointRouteBuilder MapWorkspacesApi(this IEndpointRouteBuilder app, Func<string, string, CancellationToken, Task<bool>> agentServed)
    {
        var group = app.MapGroup("/v1/workspaces").WithTags("workspaces").RequireRole(KeelRole.PlatformAdmin).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPost("/", CreateAsync).WithName("CreateWorkspace");
        group.MapGet("/", ListAsync).WithName("ListWorkspaces");
        group.MapPost("/{workspaceId}/keys", (string workspaceId, CreateKeyRequest? request, HttpContext http, IWorkspaceStore workspaces, IApiKeyStore keys, AccessGuard guard) =>
            CreateKeyAsync(workspaceId, request, http, workspaces, keys, guard, agentServed)).WithName("CreateWorkspaceKey");
        return app;
    }

    private static async Task<Results<Created<CreatedWorkspaceDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateWorkspaceRequest? request, HttpContext http, IWorkspaceStore store, IApiKeyStore keys)
    {
        var name = request?.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > WorkspaceIds.MaxNameLength)
        {
            return Problems.InvalidField("$.name", $"name is required (1 to {WorkspaceIds.MaxNameLength} characters)");
        }

        var id = request!.Id ?? WorkspaceIds.FromName(name);
        if (id is null)
        {
            return Problems.InvalidField("$.id", $"the name '{name}' has no ASCII letter or digit to make an id from; give an id ({WorkspaceIds.Rule})");
        }

        if (!WorkspaceIds.IsValid(id))
        {
            return Problems.InvalidField("$.id", $"id '{id}' is not a workspace id: {WorkspaceIds.Rule}");
        }

        if (await store.CreateWorkspaceAsync(new Workspace(id, name), http.RequestAborted) is not { } key)
        {
            return Problems.Typed(409, "workspace-exists", "Workspace exists", $"a workspace with the id '{id}' already exists; choose another id");
        }

        var created = await store.FindWorkspaceAsync(id, http.RequestAborted);
        var admin = (await keys.ListKeysAsync(id, http.RequestAborted))[0];
        return TypedResults.Created($"/v1/workspaces/{id}", new CreatedWorkspaceDto(id, name, created!.CreatedAt, ApiContracts.ToApi(admin, key)));
    }

    private static async Task<Ok<WorkspaceListDto>> ListAsync(HttpContext http, IWorkspaceStore store) =>
        TypedResults.Ok(new WorkspaceListDto([.. (await store.ListWorkspacesAsync(http.RequestAborted)).Select(WorkspaceDto.From)]));

    private static async Task<Results<Created<ApiNewKey>, ValidationProblem, ProblemHttpResult>> CreateKeyAsync(string workspaceId, CreateKeyRequest? request,
        HttpContext http, IWorkspaceStore workspaces, IApiKeyStore keys, AccessGuard guard, Func<string, string, CancellationToken, Task<bool>> agentServed)
    {
        if (!await workspaces.WorkspaceExistsAsync(workspaceId, http.RequestAborted))
        {
            return Problems.Typed(404, "not-found", "No such workspace", $"no workspace has the id '{workspaceId}'; list them with GET /v1/workspaces");
        }

        var (role, invalid, forbidden) = await KeyRequests.CheckAsync(request, http, guard, agent => agentServed(workspaceId, agent, http.RequestAborted));
        if (invalid is not null)
        {
            return invalid;
        }

        if (forbidden is not null)
        {
            return forbidden;
        }

        var (record, key) = await keys.CreateKeyAsync(workspaceId, request!.Name!, role, request.Agent, http.RequestAborted);
        return TypedResults.Created($"/v1/workspaces/{workspaceId}/keys/{record.Id}", ApiContracts.ToApi(record, key));
    }
}
