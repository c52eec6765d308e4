using System.Security.Claims;
using Keel.Server.Access;
using Keel.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;

namespace Keel.Server.Console;

/// <summary>The console's session: after sign-in with an operator's API key, an HTTP-only, SameSite=Strict cookie (ASP.NET Core
/// cookie authentication, its ticket protected by data protection) names the key and its workspace. On every request the key is
/// looked up again, so a revoked key ends its sessions at once, and the request gets the key's <see cref="Caller"/>, the same one
/// an API request with that key gets (and so the same <see cref="AccessGuard"/> checks).</summary>
internal static class ConsoleSession
{
    /// <summary>The authentication scheme's name.</summary>
    public const string Scheme = "keel-console";

    /// <summary>The cookie's name.</summary>
    public const string CookieName = "keel_console";

    private const string KeyIdClaim = "keel:key_id";
    private const string WorkspaceClaim = "keel:workspace";

    /// <summary>How long a session lasts without a request (sliding); 8 hours, an operator's shift.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(8);

    /// <summary>Whether a key may use the console: operators and the roles that include operator (admin, platform admin).</summary>
    public static bool MaySignIn(ApiKey key) => KeelRoles.Includes(key.Role, KeelRole.Operator);

    /// <summary>Signs the key in: issues the session cookie.</summary>
    public static Task SignInAsync(HttpContext context, ApiKey key)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, key.Name), new Claim(KeyIdClaim, key.Id), new Claim(WorkspaceClaim, key.WorkspaceId)], Scheme);
        return context.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
    }

    /// <summary>Configures the cookie: HTTP-only, SameSite=Strict, secure when the request is, on the server's clock.</summary>
    public static void Configure(CookieAuthenticationOptions options, TimeProvider time)
    {
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.LoginPath = "/signin";
        options.LogoutPath = "/signout";
        options.AccessDeniedPath = "/signin";
        options.ExpireTimeSpan = IdleTimeout;
        options.SlidingExpiration = true;
        options.TimeProvider = time;
        options.Events.OnValidatePrincipal = ValidateAsync;
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var keyId = context.Principal?.FindFirstValue(KeyIdClaim);
        var workspace = context.Principal?.FindFirstValue(WorkspaceClaim);
        ApiKey? key = null;
        if (keyId is not null && workspace is not null)
        {
            var keys = context.HttpContext.RequestServices.GetRequiredService<IApiKeyStore>();
            key = (await keys.ListKeysAsync(workspace, context.HttpContext.RequestAborted)).FirstOrDefault(k => k.Id == keyId);
        }

        if (key is null || key.RevokedAt is not null || !MaySignIn(key))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }

        Caller.Set(context.HttpContext, new Caller(key));
    }
}
