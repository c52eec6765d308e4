using Keel.Server.Console.Feed;
using Keel.Server.Console.Runs;
using Keel.Server.Console.Handoffs;
using Keel.Server.Console.Overview;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Routing;

namespace Keel.Server.Console;

/// <summary>The operator console served by <c>keel serve</c> at <c>/</c> (docs/console.md): Razor Pages under
/// <c>Console/Pages</c>, htmx with server-sent events for live updates, a cookie session after sign-in with an operator's key,
/// antiforgery tokens on every POST.</summary>
internal static class ConsoleServices
{
    /// <summary>The authorization policy every console page and stream needs: a signed-in operator session.</summary>
    public const string Policy = "keel-console";

    /// <summary>Registers the console: cookie authentication, antiforgery, Razor Pages from this assembly, the page queries.</summary>
    public static IServiceCollection AddKeelConsole(this IServiceCollection services, TimeProvider time)
    {
        services.AddAuthentication().AddCookie(ConsoleSession.Scheme, o => ConsoleSession.Configure(o, time));
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(ConsoleSession.Scheme).RequireAuthenticatedUser());
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "keel_console_csrf";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__csrf";
        });
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Console/Pages";
            o.Conventions.AuthorizeFolder("/", Policy);
            o.Conventions.AllowAnonymousToPage("/SignIn");
        }).ConfigureApplicationPartManager(m =>
        {
            // The pages are compiled into this assembly; whatever the host's entry assembly is (keel, a test), add its page models
            // and its compiled views (CompiledRazorAssemblyPart, through the factory the Razor SDK names on the assembly) once.
            var assembly = typeof(ConsoleServices).Assembly;
            foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
            {
                if (!m.ApplicationParts.Any(p => p.GetType() == part.GetType() && p.Name == part.Name))
                {
                    m.ApplicationParts.Add(part);
                }
            }
        });
        services.AddSingleton<LiveFeed>();
        services.AddSingleton<HandoffQueue>();
        services.AddSingleton<AgentOverview>();
        return services;
    }

    /// <summary>Maps the console's pages, stream and assets; call after <c>UseAuthorization</c>.</summary>
    public static IEndpointRouteBuilder MapKeelConsole(this IEndpointRouteBuilder app)
    {
        app.MapRazorPages();
        app.MapFeedStream();
        app.MapRunStream();
        app.MapConsoleAssets();
        return app;
    }
}
