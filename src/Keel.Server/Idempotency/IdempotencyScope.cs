using Microsoft.AspNetCore.Http;

namespace Keel.Server.Idempotency;

/// <summary>The idempotency key a request holds (claimed by <see cref="IdempotencyMiddleware"/>), so an endpoint can store its
/// answer in the same transaction as its change (<see cref="Storage.ILiveRunStore.CommitAsync"/>) and mark it stored.</summary>
/// <param name="WorkspaceId">The caller's workspace.</param>
/// <param name="KeyId">The caller's API key id.</param>
/// <param name="Key">The idempotency key.</param>
internal sealed record IdempotencyScope(string WorkspaceId, string KeyId, string Key)
{
    /// <summary>Whether the endpoint stored the answer itself (the middleware then neither stores nor releases the key).</summary>
    public bool Completed { get; set; }

    /// <summary>The scope of a request, or <see langword="null"/> when it holds no idempotency key.</summary>
    public static IdempotencyScope? Of(HttpContext context) => context.Features.Get<IdempotencyScope>();

    /// <summary>Sets the scope of a request.</summary>
    public static void Set(HttpContext context, IdempotencyScope scope) => context.Features.Set(scope);
}
