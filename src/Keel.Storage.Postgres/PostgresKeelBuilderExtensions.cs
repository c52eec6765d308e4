using Keel.Composition;
using Keel.Redaction;
using Keel.Storage.Postgres;
using Keel.Storage;
using Keel.Storage.Postgres.Gateway;
using Keel.Storage.Postgres.Otlp;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the shared PostgreSQL backend: <c>services.AddKeel().UsePostgres("Host=…;Database=keel")</c>. Several server
/// instances may use one database at once (docs/storage.md).</summary>
public static class PostgresKeelBuilderExtensions
{
    /// <summary>Stores runs, the audit log and every gateway record in one PostgreSQL database (migrated on first use).</summary>
    /// <param name="builder">The Keel builder.</param>
    /// <param name="connectionString">The Npgsql connection string, e.g. <c>Host=127.0.0.1;Port=5432;Username=keel;Database=keel</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The connection string is empty or invalid; the message never repeats it.</exception>
    public static KeelBuilder UsePostgres(this KeelBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgres(o => o.ConnectionString = connectionString);
    }

    /// <summary>Stores runs, the audit log, every gateway record and the OTLP span buffer in one PostgreSQL database, with the settings given. Both stores
    /// share one connection pool, closed with the container; events are redacted with the container's <see cref="Redactor"/> and
    /// records are dated by its <see cref="TimeProvider"/>.</summary>
    /// <param name="builder">The Keel builder.</param>
    /// <param name="configure">Sets the connection string (required).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The connection string is empty or invalid; the message names the setting and the fix.</exception>
    public static KeelBuilder UsePostgres(this KeelBuilder builder, Action<PostgresStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new PostgresStoreOptions();
        configure(options);
        options.Validate();
        var connectionString = options.ConnectionString;
        builder.Services.Replace(ServiceDescriptor.Singleton(sp =>
            new PostgresDatabase(new PostgresStoreOptions { ConnectionString = connectionString }, sp.GetRequiredService<TimeProvider>())));
        // The OTLP span buffer is a table of the same database, so every instance sees every trace's spans (docs/otlp-ingest.md).
        builder.Services.Replace(ServiceDescriptor.Singleton<ISpanBuffer>(sp => new PostgresSpanBuffer(sp.GetRequiredService<PostgresDatabase>(), ownsDatabase: false)));
        return builder.UseStore(
            sp => new PostgresRunStore(sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<Redactor>(), ownsDatabase: false),
            sp => new PostgresGatewayStore(sp.GetRequiredService<PostgresDatabase>(), ownsDatabase: false));
    }
}
