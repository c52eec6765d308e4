using Keel.Composition;
using Keel.Redaction;
using Keel.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Keel to a service collection: <c>services.AddKeel().UseSqlite(…)</c>.</summary>
public static class KeelServiceCollectionExtensions
{
    /// <summary>Registers Keel's core services — the clock (<see cref="TimeProvider.System"/> unless one is registered), the
    /// <see cref="Redactor"/> (<see cref="Redactor.Default"/> unless one is registered) and the <see cref="RecordSealer"/> built
    /// from it — and returns the builder on which a storage backend is chosen. Calling it twice is harmless.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static KeelBuilder AddKeel(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(Redactor.Default);
        services.TryAddSingleton(sp => new RecordSealer(sp.GetRequiredService<Redactor>()));
        return new KeelBuilder(services);
    }
}
