using System.Text.Json;
using System.Text.Json.Serialization;
using Keel.Model;
using Keel.Server.Access;
using Keel.Server.Approvals;
using Keel.Server.Budgets;
using Keel.Server.Console;
using Keel.Server.Hosting;
using Keel.Server.Idempotency;
using Keel.Server.Ingest;
using Keel.Server.Interventions;
using Keel.Server.Keys;
using Keel.Server.Knowledge;
using Keel.Server.Mcp;
using Keel.Server.Runs;
using Keel.Server.Versions;
using Keel.Server.Workspaces;
using Keel.Storage;
using Keel.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scalar.AspNetCore;

namespace Keel.Server;

/// <summary>A built gateway server, ready to run: <see cref="StartAsync"/> starts listening and only then creates the bootstrap
/// workspace, so a server that cannot listen (the port is taken) creates no key that nobody sees.</summary>
public sealed class KeelServerApp
{
    private readonly Workspace _bootstrap;

    internal KeelServerApp(WebApplication app, Workspace bootstrap)
    {
        App = app;
        _bootstrap = bootstrap;
    }

    /// <summary>The ASP.NET Core application.</summary>
    public WebApplication App { get; }

    /// <summary>The <c>platform_admin</c> key of the bootstrap workspace when <see cref="StartAsync"/> created it (a new
    /// database); <see langword="null"/> before <see cref="StartAsync"/> and when the database already had the workspace.
    /// Shown once: only its SHA-256 is stored.</summary>
    public string? BootstrapAdminKey { get; private set; }

    /// <summary>The addresses the server listens on once started, e.g. <c>http://127.0.0.1:5080</c> (port 0 resolved to the port
    /// the system chose); empty before <see cref="StartAsync"/> or on the test server.</summary>
    public IReadOnlyList<string> Addresses =>
        [.. App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];

    /// <summary>Starts listening, then creates the bootstrap workspace (<see cref="KeelServerOptions.BootstrapWorkspace"/>) with a
    /// <see cref="KeelRole.PlatformAdmin"/> key unless the store has it (<see cref="BootstrapAdminKey"/>). Requests that arrive
    /// in between are answered 401: no key exists yet.</summary>
    /// <param name="cancellationToken">Cancels starting.</param>
    /// <returns>A task that completes once the server listens and the bootstrap workspace exists.</returns>
    /// <exception cref="IOException">The server cannot listen, e.g. the address is in use (Kestrel's <c>AddressInUseException</c>);
    /// nothing was written to the store.</exception>
    /// <exception cref="StoreException">The bootstrap workspace could not be written; the server is stopped again.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await App.StartAsync(cancellationToken);
        try
        {
            BootstrapAdminKey = await App.Services.GetRequiredService<IWorkspaceStore>().CreateWorkspaceAsync(_bootstrap, KeelRole.PlatformAdmin, cancellationToken);
        }
        catch
        {
            await App.StopAsync(CancellationToken.None);
            throw;
        }
    }
}

/// <summary>Builds <c>keel serve</c>: the HTTP API over the live pipeline (docs/gateway-api.md), bound to 127.0.0.1 unless configured.</summary>
public static class KeelServer
{
    /// <summary>The address used when none is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Builds the server over the storage backend <see cref="KeelServerOptions.Storage"/> chooses: opens (and migrates) it
    /// and maps every endpoint. The bootstrap workspace and its key are created by <see cref="KeelServerApp.StartAsync"/>, once
    /// the server listens.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="urls">The addresses to listen on; <see cref="DefaultUrl"/> when empty.</param>
    /// <param name="configure">Changes to the host before it is built (tests use the test server).</param>
    /// <param name="cancellationToken">Cancels opening the database.</param>
    /// <returns>The application, not yet started.</returns>
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
        options.Storage!(services.AddKeel().AddPlugins(options.Plugins));
        services.AddSingleton<VersionResolver>();
        services.AddSingleton<LiveGateway>();
        services.AddSingleton<RunSignals>();
        services.AddSingleton<ApprovalDecider>();
        services.AddSingleton<Intervener>();
        services.AddSingleton<DeliveryFeed>();
        services.AddSingleton<UnrecordedOutcomes>();
        services.AddHostedService<UnrecordedOutcomesFlusher>();
        services.AddHostedService<ApprovalPauseExpiry>();
        services.AddSingleton<AccessGuard>();
        services.AddSingleton<ApprovalNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<ApprovalNotifier>());
        services.AddOtlpIngest();
        if (options.Embeddings is { } embeddings)
        {
            // Singleton factories run on first resolve: the model loads with the first knowledge request, not at start.
            services.AddSingleton(_ => embeddings());
            services.AddKeelKnowledge(r =>
            {
                r.AbstainBelow = options.Retrieval.AbstainBelow;
                r.DefaultTop = options.Retrieval.DefaultTop;
                r.MaxTop = options.Retrieval.MaxTop;
                r.MaxPassageChars = options.Retrieval.MaxPassageChars;
            });
            services.AddSingleton<KnowledgeCache>();
        }

        services.AddHttpClient();
        services.AddKeelConsole(options.TimeProvider);
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
        services.AddKeelMcpHttp();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        Microsoft.Extensions.Logging.FilterLoggingBuilderExtensions.AddFilter(builder.Logging, "Microsoft.AspNetCore", Microsoft.Extensions.Logging.LogLevel.Warning);
        Microsoft.Extensions.Logging.FilterLoggingBuilderExtensions.AddFilter(builder.Logging, "Microsoft.Hosting.Lifetime", Microsoft.Extensions.Logging.LogLevel.Warning);

        // A start that fails (the address is in use) is thrown by KeelServerApp.StartAsync to its caller, which says what failed; the
        // host's own "Hosting failed to start" stack trace is noise beside it. A background service that faults still logs, at Critical.
        Microsoft.Extensions.Logging.FilterLoggingBuilderExtensions.AddFilter(builder.Logging, "Microsoft.Extensions.Hosting.Internal.Host", Microsoft.Extensions.Logging.LogLevel.Critical);
        configure?.Invoke(builder);

        var app = builder.Build();
        // Opens (and migrates) the store now, so a store that cannot be opened fails before anything listens.
        await app.Services.GetRequiredService<IWorkspaceStore>().WorkspaceExistsAsync(options.BootstrapWorkspace, cancellationToken);

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<ApiKeyAuthenticationMiddleware>();
        app.UseMiddleware<JsonBodyMiddleware>();
        app.UseMiddleware<IdempotencyMiddleware>();
        app.UseAuthorization();
        app.MapOpenApi();
        // The API reference, browsable at /scalar/v1 (Scalar.AspNetCore serves its page from the package: no network).
        app.MapScalarApiReference();
        app.MapHealthApi();
        app.MapRunsApi();
        app.MapInterventionsApi();
        app.MapDeliveriesApi();
        app.MapToolsApi();
        app.MapToolResultsApi();
        app.MapApprovalsApi();
        Func<string, string, CancellationToken, Task<bool>> agentServed = app.Services.GetRequiredService<VersionResolver>().ServesAsync;
        app.MapKeysApi(agentServed);
        app.MapWorkspacesApi(agentServed);
        app.MapBudgetApi();
        app.MapVersionsApi();
        app.MapAccessLogApi();
        app.MapMcpHttpApi();
        app.MapOtlpTracesApi();
        app.MapKnowledgeApi();
        app.MapKeelConsole();
        return new KeelServerApp(app, new Workspace(options.BootstrapWorkspace, options.BootstrapWorkspace));
    }
}
