using System.Text.Json;
using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Tenancy;
using Keel.Tools;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keel.Server.Runs;

/// <summary>A tool an agent key may call.</summary>
/// <param name="Name">The tool name.</param>
/// <param name="Description">The description shown to the model.</param>
/// <param name="InputSchema">The JSON Schema of the arguments.</param>
/// <param name="Type">The catalog's <c>x-tool-type</c>: <c>read</c>, <c>write</c> or <c>generic</c> (MCP clients see it as
/// <c>readOnlyHint</c> / <c>destructiveHint</c>).</param>
/// <param name="Idempotent">The catalog's <c>x-idempotent</c> (MCP: <c>idempotentHint</c>).</param>
public sealed record ToolDto(string Name, string Description, JsonElement InputSchema, ToolType Type, bool Idempotent);

/// <summary>A list of tools.</summary>
public sealed record ToolListDto(IReadOnlyList<ToolDto> Tools);

/// <summary><c>GET /v1/tools</c>: the tools of the key's agent version (what an MCP client lists).</summary>
internal static class ToolsApi
{
    public static IEndpointRouteBuilder MapToolsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/tools", (HttpContext http, LiveGateway gateway) =>
            gateway.Agent(Caller.Of(http).Key.Agent) is { } agent
                ? Results.Ok(new ToolListDto([.. agent.Tools.Tools.Select(t => new ToolDto(t.Name, t.Description, t.Parameters, t.Type, t.IsIdempotent))]))
                : Problems.Of(409, "agent-not-served", "Agent not served", "this server governs no agent for this key"))
            .RequireRole(KeelRole.Agent).WithTags("tools").WithName("ListTools");
        return app;
    }
}
