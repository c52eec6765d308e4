using System.CommandLine;
using Keel.Composition;
using Keel.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Cli.Commands;

/// <summary>The store options a command takes — <c>--store sqlite|postgres</c>, <c>--db &lt;file&gt;</c>, <c>--connection &lt;string&gt;</c> —
/// read into a <see cref="StoreChoice"/>, so every command that opens a store (<c>serve</c>, <c>audit verify</c>, <c>workspace</c> and
/// <c>key</c>) chooses it the same way.</summary>
internal sealed class StoreArguments
{
    /// <summary>The environment variable read when <c>--store postgres</c> comes without <c>--connection</c>.</summary>
    public const string ConnectionVariable = "KEEL_POSTGRES_CONNECTION";

    /// <summary>Creates the options.</summary>
    /// <param name="dbDescription">What <c>--db</c> is for this command.</param>
    public StoreArguments(string dbDescription)
    {
        Db = new Option<string>("--db") { Description = dbDescription + " (with --store sqlite).", DefaultValueFactory = _ => "keel.db" };
    }

    /// <summary><c>--store</c>: the backend.</summary>
    public Option<string> Store { get; } = new("--store")
    {
        Description = "Storage backend: sqlite (one file, the default) or postgres (one database shared by several keel serve instances; docs/storage.md).",
        DefaultValueFactory = _ => "sqlite",
    };

    /// <summary><c>--db</c>: the SQLite file.</summary>
    public Option<string> Db { get; }

    /// <summary><c>--connection</c>: the PostgreSQL connection string.</summary>
    public Option<string?> Connection { get; } = new("--connection")
    {
        Description = $"PostgreSQL connection string (with --store postgres), e.g. \"{PostgresStoreOptions.Example}\". Default: ${ConnectionVariable}. "
            + "Leave the password out and set PGPASSWORD or ~/.pgpass, so it shows in no process list.",
    };

    /// <summary>The options, to add to a command.</summary>
    public IEnumerable<Option> All => [Store, Db, Connection];

    /// <summary>Adds the options to a command.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Reads the choice from a parse result.</summary>
    /// <param name="parse">The parse result.</param>
    /// <returns>The choice (not yet validated).</returns>
    public StoreChoice Read(ParseResult parse) =>
        new(parse.GetValue(Store) ?? "sqlite", parse.GetValue(Db) ?? "keel.db", parse.GetValue(Connection) ?? Environment.GetEnvironmentVariable(ConnectionVariable));

    /// <summary>Reads the choice from a parse result over a configuration file's <c>store:</c> section: an option written on the
    /// command line wins; then the file; then the defaults.</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="file">The file's section; <see langword="null"/> when it has none.</param>
    /// <param name="resolve">Resolves a path written in the file (the SQLite file) against the file's folder.</param>
    /// <returns>The choice (not yet validated).</returns>
    public StoreChoice Read(ParseResult parse, ServeConfig.StoreSection? file, Func<string, string> resolve)
    {
        var given = Read(parse);
        return new(
            IsGiven(parse, Store) ? given.Kind : file?.Kind ?? given.Kind,
            IsGiven(parse, Db) ? given.DbPath : file?.Db is { } db ? resolve(db) : given.DbPath,
            parse.GetValue(Connection) ?? file?.Connection ?? Environment.GetEnvironmentVariable(ConnectionVariable));
    }

    private static bool IsGiven(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}

/// <summary>A store chosen on the command line.</summary>
/// <param name="Kind">The backend: <c>sqlite</c> or <c>postgres</c>.</param>
/// <param name="DbPath">The SQLite file.</param>
/// <param name="ConnectionString">The PostgreSQL connection string, or <see langword="null"/>.</param>
internal sealed record StoreChoice(string Kind, string DbPath, string? ConnectionString)
{
    /// <summary>Whether the backend is PostgreSQL.</summary>
    public bool IsPostgres => string.Equals(Kind, "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks the choice without connecting.</summary>
    /// <returns>The error to print (exit code 2), or <see langword="null"/>.</returns>
    public string? Validate()
    {
        if (!IsPostgres && !string.Equals(Kind, "sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return $"--store '{Kind}' is not a backend; use sqlite or postgres.";
        }

        if (!IsPostgres)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            return $"--store postgres needs a connection string: --connection \"{PostgresStoreOptions.Example}\" (or set {StoreArguments.ConnectionVariable}).";
        }

        try
        {
            new PostgresStoreOptions { ConnectionString = ConnectionString }.Validate();
            return null;
        }
        catch (ArgumentException ex)
        {
            return $"--connection: {ex.Message}";
        }
    }

    /// <summary>Registers the chosen backend on a Keel builder.</summary>
    /// <param name="keel">The builder.</param>
    public void Configure(KeelBuilder keel)
    {
        if (IsPostgres)
        {
            keel.UsePostgres(ConnectionString!);
        }
        else
        {
            keel.UseSqlite(DbPath);
        }
    }

    /// <summary>Names the store for people: the SQLite file's full path, or the PostgreSQL server and database (never the password).</summary>
    /// <returns>The description.</returns>
    public string Describe()
    {
        if (!IsPostgres)
        {
            return $"database {Path.GetFullPath(DbPath)}";
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL {builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
    }
}
