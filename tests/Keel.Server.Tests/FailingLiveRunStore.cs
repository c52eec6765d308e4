using Keel.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Keel.Server.Tests;

/// <summary>The live path's store with a switch that makes every commit fail as a full disk does (the backend's
/// <see cref="StoreException"/>), to test what the gateway answers when a tool ran and its record cannot be stored.</summary>
internal sealed class FailingLiveRunStore(ILiveRunStore inner) : ILiveRunStore
{
    public bool Full { get; set; }

    /// <summary>Registers the switchable store around the configured one and returns it once the host is built.</summary>
    public static Action<WebApplicationBuilder> Around(Action<FailingLiveRunStore> created) => builder =>
    {
        var original = builder.Services.Last(d => d.ServiceType == typeof(ILiveRunStore));
        builder.Services.Replace(ServiceDescriptor.Singleton<ILiveRunStore>(sp =>
        {
            var store = new FailingLiveRunStore((ILiveRunStore)original.ImplementationFactory!(sp));
            created(store);
            return store;
        }));
    };

    public Task<bool> TryCreateRunAsync(Keel.Model.Run run, CancellationToken cancellationToken = default) => inner.TryCreateRunAsync(run, cancellationToken);

    public Task<RunCommitStatus> CommitAsync(RunCommit commit, CancellationToken cancellationToken = default)
    {
        if (Full)
        {
            throw new StoreException("SQLite store: database or disk is full");
        }

        return inner.CommitAsync(commit, cancellationToken);
    }

    public Task<long?> GetHeadSequenceAsync(string workspaceId, string runId, CancellationToken cancellationToken = default) =>
        inner.GetHeadSequenceAsync(workspaceId, runId, cancellationToken);
}
