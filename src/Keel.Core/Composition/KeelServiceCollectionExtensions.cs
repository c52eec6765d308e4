using Keel.Composition;
using Keel.Gateway;
using Keel.Importers;
using Keel.Monitors;
using Keel.Policies;
using Keel.Redaction;
using Keel.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Keel to a service collection: <c>services.AddKeel().UseSqlite(…)</c>.</summary>
public static class KeelServiceCollectionExtensions
{
    /// <summary>Registers Keel's core services — the clock (<see cref="TimeProvider.System"/> unless one is registered), the
    /// <see cref="Redactor"/> (<see cref="Redactor.Default"/> unless one is registered), the <see cref="RecordSealer"/> built
    /// from it, Keel's run importers (<see cref="RunImporters.Default"/>) and standard monitors (<see cref="RunMonitors.Standard"/>),
    /// and <see cref="KeelComponents"/> over everything registered — and returns the builder on which a storage backend is chosen
    /// and importers, monitors, C# policies and stages are added. Calling it twice is harmless.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static KeelBuilder AddKeel(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(Redactor.Default);
        services.TryAddSingleton(sp => new RecordSealer(sp.GetRequiredService<Redactor>()));
        foreach (var importer in RunImporters.Default.Importers)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton(importer));
        }

        foreach (var monitor in RunMonitors.Standard)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton(monitor));
        }

        services.TryAddSingleton(sp => new KeelComponents(
            sp.GetServices<IRunImporter>(), sp.GetServices<IRunMonitor>(), sp.GetServices<IToolPolicy>(), sp.GetServices<IToolCallStage>(),
            sp.GetRequiredService<TimeProvider>()));
        return new KeelBuilder(services);
    }
}
