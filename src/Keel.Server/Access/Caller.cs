using Keel.Tenancy;
using Microsoft.AspNetCore.Http;

namespace Keel.Server.Access;

/// <summary>The authenticated caller of a request: its API key (workspace, role, agent).</summary>
/// <param name="Key">The key.</param>
public sealed record Caller(ApiKey Key)
{
    private const string ItemKey = "keel.caller";

    /// <summary>The caller's workspace.</summary>
    public string WorkspaceId => Key.WorkspaceId;

    /// <summary>Whether the caller has one of <paramref name="roles"/> or a role that includes one (platform admin includes
    /// admin, admin includes operator; <see cref="KeelRoles.Includes"/>).</summary>
    /// <param name="roles">The roles allowed.</param>
    /// <returns>Whether allowed.</returns>
    public bool Is(params KeelRole[] roles) => roles.Any(r => KeelRoles.Includes(Key.Role, r));

    /// <summary>The caller of <paramref name="context"/>, set by the authentication middleware.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The caller.</returns>
    /// <exception cref="InvalidOperationException">The endpoint is not under <c>/v1</c> (no caller).</exception>
    public static Caller Of(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var caller) && caller is Caller c ? c : throw new InvalidOperationException("no authenticated caller on this request");

    /// <summary>The caller of <paramref name="context"/>, or <see langword="null"/> when none was authenticated.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The caller or <see langword="null"/>.</returns>
    internal static Caller? Find(HttpContext context) => context.Items.TryGetValue(ItemKey, out var caller) ? caller as Caller : null;

    /// <summary>Sets the caller of <paramref name="context"/>.</summary>
    /// <param name="context">The request.</param>
    /// <param name="caller">The caller.</param>
    internal static void Set(HttpContext context, Caller caller) => context.Items[ItemKey] = caller;
}
