using Keel.Composition;
using Keel.Redaction;
using Keel.Storage.Sqlite;
using Keel.Storage.Sqlite.Gateway;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the embedded SQLite backend: <c>services.AddKeel().UseSqlite("keel.db")</c>.</summary>
public static class SqliteKeelBuilderExtensions
{
    /// <summary>Stores runs, the audit log and every gateway record in one SQLite file (WAL mode, migrated when it opens).</summary>
    /// <param name="builder">The Keel builder.</param>
    /// <param name="path">The database file; created with its folder when missing.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    public static KeelBuilder UseSqlite(this KeelBuilder builder, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return builder.UseSqlite(o => o.Path = path);
    }

    /// <summary>Stores runs, the audit log and every gateway record in one SQLite file, with the settings given. Events are redacted
    /// with the container's <see cref="Redactor"/> and the records are dated by its <see cref="TimeProvider"/>.</summary>
    /// <param name="builder">The Keel builder.</param>
    /// <param name="configure">Changes to the settings (path, busy timeout); <see langword="null"/> for the defaults (<c>./keel.db</c>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it and the fix.</exception>
    public static KeelBuilder UseSqlite(this KeelBuilder builder, Action<SqliteRunStoreOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new SqliteRunStoreOptions();
        configure?.Invoke(options);
        options.Validate();

        // The OTLP span buffer lives in its own file beside the store (docs/otlp-ingest.md): ingest writes never queue behind run writes.
        var spans = Path.GetFullPath(options.Path) + ".spans";
        builder.Services.Replace(ServiceDescriptor.Singleton<Keel.Storage.ISpanBuffer>(_ => new Keel.Storage.Sqlite.Otlp.SqliteSpanBuffer(spans)));
        return builder.UseStore(
            sp => new SqliteRunStore(
                new SqliteRunStoreOptions { Path = options.Path, BusyTimeout = options.BusyTimeout, Redactor = sp.GetRequiredService<Redactor>() },
                sp.GetRequiredService<TimeProvider>()),
            sp => new SqliteGatewayStore(sp.GetRequiredService<SqliteRunStore>(), sp.GetRequiredService<TimeProvider>()));
    }
}
