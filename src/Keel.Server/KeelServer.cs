using System.Text.Json;
using System.Text.Json.Serialization;
using Keel.Model;
using Keel.Server.Access;
using Keel.Server.Approvals;
using Keel.Server.Budgets;
using Keel.Server.Hosting;
using Keel.Server.Idempotency;
using Keel.Server.Keys;
using Keel.Server.Runs;
using Keel.Storage;
using Keel.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keel.Server;

/// <summary>A built gateway server, ready to run.</summary>
/// <param name="App">The ASP.NET Core application.</param>
/// <param name="BootstrapAdminKey">The admin key of the workspace created on first start; <see langword="null"/> when the database already had it.</param>
public sealed record KeelServerApp(WebApplication App, string? BootstrapAdminKey)
{
    /// <summary>The addresses the server listens on once started, e.g. <c>http://127.0.0.1:5080</c> (port 0 resolved to the port
    /// the system chose); empty before <c>StartAsync</c> or on the test server.</summary>
    public IReadOnlyList<string> Addresses =>
        [.. App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
}

/// <summary>Builds <c>keel serve</c>: the HTTP API over the live pipeline (docs/gateway-api.md), bound to 127.0.0.1 unless configured.</summary>
public static class KeelServer
{
    /// <summary>The address used when none is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Builds the server over the storage backend <see cref="KeelServerOptions.Storage"/> chooses: opens (and migrates) it, creates the bootstrap workspace with an admin key on first start,
    /// and maps every endpoint.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="urls">The addresses to listen on; <see cref="DefaultUrl"/> when empty.</param>
    /// <param name="configure">Changes to the host before it is built (tests use the test server).</param>
    /// <param name="cancellationToken">Cancels opening the database.</param>
    /// <returns>The application and the bootstrap admin key.</returns>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    /// <exception cref="StoreException">The database cannot be opened or migrated.</exception>
    public static async Task<KeelServerApp> BuildAsync(KeelServerOptions options, IReadOnlyList<string>? urls = null, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls is { Count: > 0 } ? [.. urls] : [DefaultUrl]);
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(options.TimeProvider);
        options.Storage!(services.AddKeel());
        services.AddSingleton<LiveGateway>();
        services.AddSingleton<UnrecordedOutcomes>();
        services.AddHostedService<UnrecordedOutcomesFlusher>();
        services.AddSingleton<AccessGuard>();
        services.AddSingleton<ApprovalNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<ApprovalNotifier>());
        services.AddHttpClient();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            // Answers the framework writes itself (an unknown route, a method the route lacks) get a Keel type and a detail too.
            if (c.ProblemDetails.Type?.StartsWith(Problems.TypePrefix, StringComparison.Ordinal) != true)
            {
                var (name, detail) = Problems.ForStatus(c.ProblemDetails.Status ?? c.HttpContext.Response.StatusCode, c.HttpContext);
                c.ProblemDetails.Type = Problems.TypePrefix + name;
                c.ProblemDetails.Detail ??= detail;
            }
        });
        services.AddExceptionHandler<KeelExceptionHandler>();
        services.AddOpenApi();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        Microsoft.Extensions.Logging.FilterLoggingBuilderExtensions.AddFilter(builder.Logging, "Microsoft.AspNetCore", Microsoft.Extensions.Logging.LogLevel.Warning);
        Microsoft.Extensions.Logging.FilterLoggingBuilderExtensions.AddFilter(builder.Logging, "Microsoft.Hosting.Lifetime", Microsoft.Extensions.Logging.LogLevel.Warning);
        configure?.Invoke(builder);

        var app = builder.Build();
        var adminKey = await app.Services.GetRequiredService<IWorkspaceStore>()
            .CreateWorkspaceAsync(new Workspace(options.BootstrapWorkspace, options.BootstrapWorkspace), cancellationToken);

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<ApiKeyAuthenticationMiddleware>();
        app.UseMiddleware<JsonBodyMiddleware>();
        app.UseMiddleware<IdempotencyMiddleware>();
        app.MapOpenApi();
        app.MapHealthApi();
        app.MapRunsApi();
        app.MapToolsApi();
        app.MapApprovalsApi();
        app.MapKeysApi(name => options.Agents.Any(a => a.AgentName == name));
        app.MapBudgetApi();
        app.MapAccessLogApi();
        return new KeelServerApp(app, adminKey);
    }
}
