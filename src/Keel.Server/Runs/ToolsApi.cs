using Keel.Sdk.Api;
using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Storage;
using Keel.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keel.Server.Runs;

/// <summary><c>GET /v1/tools</c>: the tools of the key's agent as its new runs are served — the registry's stable release, else the
/// configured bundle (<see cref="VersionResolver.ServedAsync"/>) — what an MCP client lists.</summary>
internal static class ToolsApi
{
    public static IEndpointRouteBuilder MapToolsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/tools", async (HttpContext http, VersionResolver versions) =>
            await versions.ServedAsync(Caller.Of(http).WorkspaceId, Caller.Of(http).Key.Agent, http.RequestAborted) is { } agent
                ? Results.Ok(new ToolList([.. agent.Tools.Tools.Select(t => new ApiTool(t.Name, t.Description, t.Parameters, RunEventJson.EnumName(t.Type), t.IsIdempotent))]))
                : Problems.Of(409, "agent-not-served", "Agent not served", "this server governs no agent for this key"))
            .RequireRole(KeelRole.Agent).WithTags("tools").WithName("ListTools").Produces<ToolList>();
        return app;
    }
}
