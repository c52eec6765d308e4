using Keel.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Keel.Server.Tests;

/// <summary>The idempotency port with a switch that makes releasing a claim fail as a full disk does (a delete needs room in
/// SQLite's write-ahead log too).</summary>
internal sealed class FailingIdempotencyStore(IIdempotencyStore inner) : IIdempotencyStore
{
    public bool FailRelease { get; set; }

    /// <summary>Registers the switchable store around the configured one and returns it once the host is built.</summary>
    public static Action<WebApplicationBuilder> Around(Action<FailingIdempotencyStore> created) => builder =>
    {
        var original = builder.Services.Last(d => d.ServiceType == typeof(IIdempotencyStore));
        builder.Services.Replace(ServiceDescriptor.Singleton<IIdempotencyStore>(sp =>
        {
            var store = new FailingIdempotencyStore((IIdempotencyStore)original.ImplementationFactory!(sp));
            created(store);
            return store;
        }));
    };

    public Task<IdempotencyClaim> ClaimAsync(string workspaceId, string keyId, string idempotencyKey, string requestSha256, TimeSpan staleAfter, CancellationToken cancellationToken = default) =>
        inner.ClaimAsync(workspaceId, keyId, idempotencyKey, requestSha256, staleAfter, cancellationToken);

    public Task CompleteAsync(string workspaceId, string keyId, string idempotencyKey, StoredResponse response, CancellationToken cancellationToken = default) =>
        inner.CompleteAsync(workspaceId, keyId, idempotencyKey, response, cancellationToken);

    public Task ReleaseAsync(string workspaceId, string keyId, string idempotencyKey, CancellationToken cancellationToken = default) =>
        FailRelease ? throw new StoreException("SQLite gateway store: database or disk is full") : inner.ReleaseAsync(workspaceId, keyId, idempotencyKey, cancellationToken);
}
