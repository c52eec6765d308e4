using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Keel.Sdk.Api;

namespace Keel.Server.Keys;

/// <summary>The checks of a <see cref="CreateKeyRequest"/>, shared by <c>POST /v1/keys</c> (the caller's workspace) and
/// <c>POST /v1/workspaces/{id}/keys</c> (any workspace, platform admins).</summary>
internal static class KeyRequests
{
    /// <summary>The longest key name, in characters.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Checks the body: a name, a known role, an agent exactly for agent keys and one this server governs, and a
    /// <c>platform_admin</c> key only for a platform admin caller (anyone else: 403, recorded in the access log).</summary>
    /// <param name="request">The body.</param>
    /// <param name="http">The request, for the caller.</param>
    /// <param name="guard">Records a refusal.</param>
    /// <param name="agentServed">Whether this server governs an agent of that name in the key's workspace: a configured bundle, or a
    /// version the workspace's registry releases (<see cref="Runs.VersionResolver.ServesAsync"/>).</param>
    /// <returns>The role, or the answer to send instead: <c>Invalid</c> (400 naming the field) or <c>Forbidden</c> (403).</returns>
    public static async Task<(KeelRole Role, ValidationProblem? Invalid, ProblemHttpResult? Forbidden)> CheckAsync(CreateKeyRequest? request, Microsoft.AspNetCore.Http.HttpContext http, AccessGuard guard, Func<string, Task<bool>> agentServed)
    {
        if (string.IsNullOrWhiteSpace(request?.Name) || request.Name.Length > MaxNameLength)
        {
            return (default, Problems.InvalidField("$.name", $"name is required (1 to {MaxNameLength} characters)"), null);
        }

        if (!KeelRoles.TryParse(request.Role, out var role))
        {
            return (default, Problems.InvalidField("$.role", $"role '{request.Role}' is not one of {KeelRoles.Names}"), null);
        }

        if (KeelRoles.CheckAgent(role, request.Agent) is { } wrongAgent)
        {
            return (default, Problems.InvalidField("$.agent", wrongAgent), null);
        }

        if (role == KeelRole.Agent && !await agentServed(request.Agent!))
        {
            return (default, Problems.InvalidField("$.agent", $"this server governs no agent named '{request.Agent}'"), null);
        }

        if (role == KeelRole.PlatformAdmin && !Caller.Of(http).Is(KeelRole.PlatformAdmin))
        {
            return (default, null, await guard.RefuseAsync(http, "only a platform_admin key may create a platform_admin key"));
        }

        return (role, null, null);
    }
}
