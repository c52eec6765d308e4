using Keel.Approvals;
using Keel.Audit;
using Keel.Budgets;
using Keel.Gateway;
using Keel.Importers;
using Keel.Monitors;
using Keel.Policies;
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
        Port<IKnowledgeStore>();
        return this;
    }

    /// <summary>Adds a run importer, tried after those added before it (Keel's own come first). Adding the same type again changes nothing.</summary>
    /// <typeparam name="TImporter">The importer; built by the container (its dependencies come from it), one instance.</typeparam>
    /// <returns>This builder.</returns>
    public KeelBuilder AddImporter<TImporter>()
        where TImporter : class, IRunImporter
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IRunImporter, TImporter>());
        return this;
    }

    /// <summary>Adds a run importer instance (see <see cref="AddImporter{TImporter}()"/>); every instance added is kept, so two of one class
    /// may differ in their settings.</summary>
    /// <param name="importer">The importer; its <see cref="IRunImporter.Format"/> must differ from the others'.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="importer"/> is <see langword="null"/>.</exception>
    public KeelBuilder AddImporter(IRunImporter importer)
    {
        ArgumentNullException.ThrowIfNull(importer);
        Services.AddSingleton(importer);
        return this;
    }

    /// <summary>Adds a run monitor, after those added before it (Keel's standard monitors come first). It watches live runs and
    /// replayed runs alike; its findings are stored with the run. Adding the same type again changes nothing.</summary>
    /// <typeparam name="TMonitor">The monitor; shared by every run and thread-safe (per-run state lives in its session).</typeparam>
    /// <returns>This builder.</returns>
    public KeelBuilder AddMonitor<TMonitor>()
        where TMonitor : class, IRunMonitor
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IRunMonitor, TMonitor>());
        return this;
    }

    /// <summary>Adds a run monitor instance (see <see cref="AddMonitor{TMonitor}()"/>); every instance added is kept.</summary>
    /// <param name="monitor">The monitor.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="monitor"/> is <see langword="null"/>.</exception>
    public KeelBuilder AddMonitor(IRunMonitor monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        Services.AddSingleton(monitor);
        return this;
    }

    /// <summary>Adds a C# policy, named by <c>kind: custom</c> rules (<c>type: &lt;Name&gt;</c>) in the bundles this composition loads.</summary>
    /// <typeparam name="TPolicy">The policy; thread-safe, one instance.</typeparam>
    /// <returns>This builder.</returns>
    public KeelBuilder AddPolicy<TPolicy>()
        where TPolicy : class, IToolPolicy
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IToolPolicy, TPolicy>());
        return this;
    }

    /// <summary>Adds a C# policy instance (see <see cref="AddPolicy{TPolicy}()"/>); every instance added is kept, so one class can serve
    /// several names (two policies with one name are refused when the composition is built).</summary>
    /// <param name="policy">The policy; its <see cref="IToolPolicy.Name"/> must differ from the others'.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is <see langword="null"/>.</exception>
    public KeelBuilder AddPolicy(IToolPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Services.AddSingleton(policy);
        return this;
    }

    /// <summary>Adds a pipeline stage, run after Keel's policy stage and before its budget stage (after stages added before it), in
    /// live traffic and replay alike: it sees the parsed arguments and may stop the call with a decision.</summary>
    /// <typeparam name="TStage">The stage; shared by every call and thread-safe.</typeparam>
    /// <returns>This builder.</returns>
    public KeelBuilder AddStage<TStage>()
        where TStage : class, IToolCallStage
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IToolCallStage, TStage>());
        return this;
    }

    /// <summary>Adds a pipeline stage instance (see <see cref="AddStage{TStage}()"/>); every instance added is kept.</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stage"/> is <see langword="null"/>.</exception>
    public KeelBuilder AddStage(IToolCallStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        Services.AddSingleton(stage);
        return this;
    }

    /// <summary>Lets plugins add their services (<see cref="IKeelPlugin.Configure"/>), in order.</summary>
    /// <param name="plugins">The plugins.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="plugins"/> is <see langword="null"/>.</exception>
    public KeelBuilder AddPlugins(IEnumerable<IKeelPlugin> plugins)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        foreach (var plugin in plugins)
        {
            plugin.Configure(this);
        }

        return this;
    }

    private void Port<TPort>()
        where TPort : class =>
        Services.Replace(ServiceDescriptor.Singleton<TPort>(sp => (sp.GetRequiredService<SealedGatewayStore>() as TPort)!));
}
