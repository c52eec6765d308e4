using Keel.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keel.Server.Hosting;

/// <summary>Health status.</summary>
/// <param name="Status">healthy or ready.</param>
public sealed record HealthDto(string Status);

/// <summary><c>/health</c> (the process answers) and <c>/ready</c> (the store opens and the upstream tool servers are connected).</summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Ok(new HealthDto("healthy"))).WithTags("health").WithName("Health");
        app.MapGet("/ready", async (IWorkspaceStore store, KeelServerOptions options, CancellationToken cancellationToken) =>
        {
            try
            {
                await store.WorkspaceExistsAsync(options.BootstrapWorkspace, cancellationToken);
            }
            catch (Storage.StoreException)
            {
                return Problems.Of(503, "not-ready", "Not ready", "the database cannot be opened");
            }

            return options.UpstreamReady is { } ready && !await ready(cancellationToken)
                ? Problems.Of(503, "not-ready", "Not ready", "an upstream tool server is not connected")
                : Results.Ok(new HealthDto("ready"));
        }).WithTags("health").WithName("Ready");
        return app;
    }
}
