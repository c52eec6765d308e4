using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keel.Server.Console;

/// <summary>Serves the console's vendored scripts and their licenses from the assembly's embedded resources at
/// <c>/console/assets/{name}</c> (htmx 2.0.11 and htmx-ext-sse 2.2.4 from npm, BSD Zero Clause), so the console needs no wwwroot,
/// no static web assets manifest and no front-end build step.</summary>
internal static class ConsoleAssets
{
    private static readonly Dictionary<string, string> _types = new(StringComparer.Ordinal)
    {
        ["htmx.min.js"] = "text/javascript; charset=utf-8",
        ["htmx-ext-sse.min.js"] = "text/javascript; charset=utf-8",
        ["htmx.LICENSE.txt"] = "text/plain; charset=utf-8",
        ["htmx-ext-sse.LICENSE.txt"] = "text/plain; charset=utf-8",
    };

    public static IEndpointRouteBuilder MapConsoleAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/console/assets/{name}", (string name, HttpContext http) =>
        {
            if (!_types.TryGetValue(name, out var type)
                || Assembly.GetExecutingAssembly().GetManifestResourceStream("Keel.Console." + name) is not { } stream)
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Stream(stream, type);
        }).ExcludeFromDescription();
        return app;
    }
}
