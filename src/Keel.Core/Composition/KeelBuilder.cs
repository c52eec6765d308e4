using Keel.Approvals;
using Keel.Audit;
using Keel.Budgets;
using Keel.Storage;
using Keel.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Keel.Composition;

/// <summary>What <c>services.AddKeel()</c> returns: the place a backend is chosen (<c>UseSqlite(…)</c>, <c>UsePostgres(…)</c>)
/// and further Keel services are added, in the style of Microsoft.Extensions.AI's <c>ChatClientBuilder</c>.</summary>
/// <param name="services">The service collection Keel registers into.</param>
public sealed class KeelBuilder(IServiceCollection services)
{
    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; } = services ?? throw new ArgumentNullException(nameof(services));

    /// <summary>Registers a storage backend: <typeparamref name="TRuns"/> serves runs, the live path's commits and the audit log, <typeparamref name="TGateway"/>
    /// every other port, each through Core's sealing (<see cref="SealedGatewayStore"/>). Choosing a backend again replaces the
    /// earlier choice.</summary>
    /// <typeparam name="TRuns">The backend's run store.</typeparam>
    /// <typeparam name="TGateway">The backend's gateway store.</typeparam>
    /// <param name="runs">Creates the run store (a singleton; disposed with the container).</param>
    /// <param name="gateway">Creates the gateway store (a singleton; disposed with the container).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">A factory is <see langword="null"/>.</exception>
    public KeelBuilder UseStore<TRuns, TGateway>(Func<IServiceProvider, TRuns> runs, Func<IServiceProvider, TGateway> gateway)
        where TRuns : class, IRunStore, IAuditLog, ILiveRunStore
        where TGateway : class, IGatewayStore
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(gateway);
        Services.Replace(ServiceDescriptor.Singleton(runs));
        Services.Replace(ServiceDescriptor.Singleton(gateway));
        Services.Replace(ServiceDescriptor.Singleton<IRunStore>(sp => sp.GetRequiredService<TRuns>()));
        Services.Replace(ServiceDescriptor.Singleton<IAuditLog>(sp => sp.GetRequiredService<TRuns>()));
        Services.Replace(ServiceDescriptor.Singleton<ILiveRunStore>(sp => new SealedLiveRunStore(sp.GetRequiredService<TRuns>(), sp.GetRequiredService<RecordSealer>())));
        Services.Replace(ServiceDescriptor.Singleton(sp => new SealedGatewayStore(sp.GetRequiredService<TGateway>(), sp.GetRequiredService<RecordSealer>())));
        Port<IApprovalStore>();
        Port<IBudgetLedger>();
        Port<IWorkspaceStore>();
        Port<IApiKeyStore>();
        Port<IIdempotencyStore>();
        Port<IAccessLog>();
        Port<IResourceOwners>();
        Port<IVersionRegistry>();
        return this;
    }

    private void Port<TPort>()
        where TPort : class =>
        Services.Replace(ServiceDescriptor.Singleton<TPort>(sp => (sp.GetRequiredService<SealedGatewayStore>() as TPort)!));
}
