using Keel.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Console.Pages;

/// <summary>The sign-in form: an operator's API key, checked by the key store as an API request's key is.</summary>
internal sealed class SignInModel(IApiKeyStore keys) : PageModel
{
    /// <summary>Why the last attempt failed, or <see langword="null"/>.</summary>
    public string? Error { get; private set; }

    /// <summary>Where to go after signing in (a local path).</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnPostAsync(string? key)
    {
        var found = string.IsNullOrWhiteSpace(key) ? null : await keys.AuthenticateAsync(key.Trim(), HttpContext.RequestAborted);
        if (found is null)
        {
            Error = "That key is unknown, revoked or malformed.";
            Response.StatusCode = 401;
            return Page();
        }

        if (!ConsoleSession.MaySignIn(found))
        {
            Error = $"A {KeelRoles.Name(found.Role)} key cannot use the console; it needs an operator, admin or platform_admin key.";
            Response.StatusCode = 403;
            return Page();
        }

        await ConsoleSession.SignInAsync(HttpContext, found);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
