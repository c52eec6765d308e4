using Keel.Redaction;
using Npgsql;

namespace Keel.Storage.Postgres;

/// <summary>Settings of <see cref="PostgresRunStore"/> and <see cref="Gateway.PostgresGatewayStore"/>.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>An example connection string, quoted by the validation messages.</summary>
    public const string Example = "Host=127.0.0.1;Port=5432;Username=keel;Database=keel";

    /// <summary>The Npgsql connection string, e.g. <c>Host=127.0.0.1;Port=5432;Username=keel;Database=keel</c>. Leave the password
    /// out to have Npgsql read it from <c>PGPASSWORD</c> or <c>~/.pgpass</c>, so it appears in no command line. Pooling settings
    /// (<c>Maximum Pool Size</c>, default 100 connections per process) apply to the one pool both stores of a process share; keep
    /// their sum over every instance below the server's <c>max_connections</c>.</summary>
    /// <value>The default is empty: it must be set.</value>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Removes secrets and personal data from every event payload, handoff packet, decision reason, finding and failure
    /// message before it is written (and so before its audit hash is computed). <see langword="null"/> writes everything as given.</summary>
    /// <value>The default is <see cref="Redactor.Default"/>, as for the SQLite store.</value>
    public Redactor? Redactor { get; set; } = Redactor.Default;

    /// <summary>Checks the settings without connecting.</summary>
    /// <exception cref="ArgumentException">The connection string is empty, cannot be parsed or names no host; the message names the
    /// setting and the fix, and never repeats the connection string (it may hold a password).</exception>
    public void Validate() => _ = Parse(ConnectionString);

    /// <summary>Parses a connection string as <see cref="Validate"/> checks it.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <returns>The parsed settings.</returns>
    /// <exception cref="ArgumentException">As for <see cref="Validate"/>.</exception>
    internal static NpgsqlConnectionStringBuilder Parse(string? connectionString)
    {
        const string Setting = $"{nameof(PostgresStoreOptions)}.{nameof(ConnectionString)}";
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException($"{Setting} is empty. Set it to a PostgreSQL connection string, e.g. \"{Example}\".");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            // Npgsql's message names the keyword at fault, never the value.
            throw new ArgumentException($"{Setting} is not a valid connection string: {ex.Message} Write it as key=value pairs, e.g. \"{Example}\".", ex);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new ArgumentException($"{Setting} names no Host. Add the server, e.g. \"{Example}\".");
        }

        return builder;
    }
}
