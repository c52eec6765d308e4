using System.Globalization;
using Keel.Storage.Sqlite.Migrations;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>Opens the store's one connection: creates the file and its directory if needed, sets the pragmas
/// (<c>journal_mode=WAL</c>, <c>synchronous=NORMAL</c>, <c>foreign_keys=ON</c>, <c>busy_timeout</c>) and applies
/// pending migrations.</summary>
internal static class SqliteDatabase
{
    /// <summary>Opens and migrates the database.</summary>
    /// <param name="fullPath">Absolute path of the database file.</param>
    /// <param name="busyTimeout">How long a statement waits for another process's lock.</param>
    /// <param name="timeProvider">The clock for migration records.</param>
    /// <returns>The open connection, outside any transaction.</returns>
    /// <exception cref="SqliteException">The file could not be opened or migrated.</exception>
    /// <exception cref="StoreException">The database has a newer schema than this Keel knows.</exception>
    public static SqliteConnection Open(string fullPath, TimeSpan busyTimeout, TimeProvider timeProvider)
    {
        var directory = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,

            // One long-lived connection per store; without pooling, disposing the store really closes the file.
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        }.ToString();

        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            var busyMs = ((long)busyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            // page_size only takes effect on a new, empty file, before WAL is switched on; it is harmless on an existing one.
            Execute(connection, $"PRAGMA busy_timeout = {busyMs}; PRAGMA page_size = 16384; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;");
            var journalMode = Scalar(connection, "PRAGMA journal_mode = WAL");
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new StoreException(
                    $"SQLite store '{fullPath}': the file system refused write-ahead logging (journal_mode is '{journalMode}'). "
                    + "Set SqliteRunStoreOptions.Path to a file on a local disk.");
            }

            MigrationRunner.Apply(connection, MigrationCatalog.All, timeProvider);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Starts a transaction: <c>BEGIN IMMEDIATE</c> to write (takes the write lock at once, so it never fails
    /// half-way for a lock), or <c>BEGIN</c> to read one consistent snapshot.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="deferred">Whether to defer the lock (reads).</param>
    /// <param name="store">The store's name for messages.</param>
    /// <returns>The transaction.</returns>
    /// <exception cref="StoreException">The lock could not be had within the busy timeout.</exception>
    public static SqliteTransaction Begin(SqliteConnection connection, bool deferred, string store)
    {
        try
        {
            return connection.BeginTransaction(deferred);
        }
        catch (SqliteException ex)
        {
            throw new StoreException(
                $"{store}: a transaction could not start; another process may hold the lock beyond SqliteRunStoreOptions.BusyTimeout. {ex.Message}", ex);
        }
    }

    /// <summary>Reads a pragma or other single value on an open connection.</summary>
    public static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
