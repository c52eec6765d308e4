using Keel.Redaction;

namespace Keel.Storage.Sqlite;

/// <summary>Settings of <see cref="SqliteRunStore"/>.</summary>
public sealed class SqliteRunStoreOptions
{
    /// <summary>The database file used when none is configured: <c>./keel.db</c>.</summary>
    public const string DefaultPath = "./keel.db";

    /// <summary>The shortest <see cref="BusyTimeout"/> accepted: 1 second.</summary>
    public static readonly TimeSpan MinBusyTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The longest <see cref="BusyTimeout"/> accepted: 10 minutes.</summary>
    public static readonly TimeSpan MaxBusyTimeout = TimeSpan.FromMinutes(10);

    private static readonly string[] s_connectionStringKeywords = ["data source=", "datasource=", "filename="];

    /// <summary>The database file. A relative path is resolved against the current directory when the store opens;
    /// missing parent directories are created. SQLite keeps <c>-wal</c> and <c>-shm</c> files beside it.</summary>
    /// <value>The default is <c>./keel.db</c>.</value>
    public string Path { get; set; } = DefaultPath;

    /// <summary>How long a write waits for another process (for example a <c>keel replay</c> beside a running server)
    /// to release its lock on the file before it fails.</summary>
    /// <value>The default is 5 seconds; from <see cref="MinBusyTimeout"/> to <see cref="MaxBusyTimeout"/>, rounded up to whole seconds.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Removes secrets and personal data from every event payload, handoff packet, decision reason, finding and failure
    /// message before it is written (and so before its audit hash is computed): the raw value never reaches the file.
    /// <see langword="null"/> writes everything as given.</summary>
    /// <value>The default is <see cref="Redactor.Default"/>: every built-in detector (secrets, payment cards, e-mail addresses,
    /// phone numbers; see <see cref="RedactionOptions"/>). Build a <see cref="Redactor"/> from <see cref="RedactionOptions"/> to add
    /// patterns or an allow-list.</value>
    public Redactor? Redactor { get; set; } = Redactor.Default;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names the setting and the fix.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new ArgumentException(
                $"{nameof(SqliteRunStoreOptions)}.{nameof(Path)} is empty. Set it to the database file, e.g. \"{DefaultPath}\".");
        }

        var trimmed = Path.Trim();
        if (trimmed.Equals(":memory:", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            || s_connectionStringKeywords.Any(k => trimmed.StartsWith(k, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException(
                $"{nameof(SqliteRunStoreOptions)}.{nameof(Path)} is \"{Path}\", which is not a file path. Set it to a file such as "
                + $"\"{DefaultPath}\" (not a connection string or ':memory:'); for a store in memory use {nameof(InMemoryRunStore)}.");
        }

        if (Path.AsSpan().IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            throw new ArgumentException(
                $"{nameof(SqliteRunStoreOptions)}.{nameof(Path)} contains a character that is not allowed in a path. Set it to a file such as \"{DefaultPath}\".");
        }

        if (Directory.Exists(Path) || System.IO.Path.EndsInDirectorySeparator(Path))
        {
            var suggestion = System.IO.Path.Join(Path, "keel.db");
            throw new ArgumentException(
                $"{nameof(SqliteRunStoreOptions)}.{nameof(Path)} \"{Path}\" is a directory. Set it to a file inside it, e.g. \"{suggestion}\".");
        }

        if (BusyTimeout < MinBusyTimeout || BusyTimeout > MaxBusyTimeout)
        {
            throw new ArgumentException(
                $"{nameof(SqliteRunStoreOptions)}.{nameof(BusyTimeout)} is {BusyTimeout}. Set it between {MinBusyTimeout} and {MaxBusyTimeout} (the default is 00:00:05).");
        }
    }
}
