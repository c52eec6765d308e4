using Keel.Audit;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>Reads the audit log of a SQLite store file without changing it (a read-only connection: no migration, no lock
/// held between reads), for <c>keel audit verify</c> and other tools. Records stream in the stores' key order.</summary>
/// <remarks>Not thread-safe: use one reader per thread. Dispose it to close the file.</remarks>
public sealed class SqliteAuditReader : IDisposable
{
    /// <summary>The schema version that added the audit chain (<see cref="Migrations.Migration0003_AuditChain"/>).</summary>
    private const int AuditChainVersion = 3;

    private readonly SqliteConnection _connection;

    private SqliteAuditReader(SqliteConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    /// <summary>The absolute path of the database file.</summary>
    public string Path { get; }

    /// <summary>Opens a store file read-only and checks that it has the audit chain (schema version 3, migration 0003, or later).</summary>
    /// <param name="path">The database file.</param>
    /// <returns>The reader; the caller disposes it.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">No file is at <paramref name="path"/>.</exception>
    /// <exception cref="StoreException">The file is not a Keel store, or was written by a Keel without the audit chain and
    /// not opened by a newer one since (open it once with <c>SqliteRunStore</c> to migrate it).</exception>
    public static SqliteAuditReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"No Keel store at '{fullPath}'.", fullPath);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = fullPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            connection.Open();
            long version;
            try
            {
                version = Convert.ToInt64(SqliteDatabase.Scalar(connection, "SELECT coalesce(max(version), 0) FROM schema_migrations"), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (SqliteException ex)
            {
                throw new StoreException($"'{fullPath}' is not a Keel store (no schema_migrations table): {ex.Message}", ex);
            }

            if (version < AuditChainVersion)
            {
                throw new StoreException(
                    $"'{fullPath}' has schema version {version}, from before the audit chain. Open it once with this Keel (for example keel replay --db) to migrate it; the migration chains the runs already stored.");
            }

            return new SqliteAuditReader(connection, fullPath);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Streams ledger rows, by workspace and sequence.</summary>
    /// <param name="workspaceId">Only this workspace; <see langword="null"/> for all.</param>
    /// <returns>The rows, read as they are enumerated.</returns>
    /// <exception cref="SqliteException">The file could not be read (while enumerating).</exception>
    public IEnumerable<AuditLedgerRecord> ReadLedger(string? workspaceId = null) => AuditRecordReader.Ledger(_connection, null, workspaceId);

    /// <summary>Streams event records, by workspace, run and sequence.</summary>
    /// <param name="workspaceId">Only this workspace; <see langword="null"/> for all.</param>
    /// <returns>The records, read as they are enumerated.</returns>
    /// <exception cref="SqliteException">The file could not be read (while enumerating).</exception>
    public IEnumerable<AuditEventRecord> ReadEvents(string? workspaceId = null) => AuditRecordReader.Events(_connection, null, workspaceId);

    /// <summary>Verifies the chain (<see cref="AuditVerifier"/>) on one consistent snapshot of the file: writers may go on meanwhile.</summary>
    /// <param name="workspaceId">Only this workspace; <see langword="null"/> for all.</param>
    /// <returns>What was checked and every problem found.</returns>
    /// <exception cref="StoreException">The file could not be read.</exception>
    public AuditReport Verify(string? workspaceId = null)
    {
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: true);
            return AuditVerifier.Verify(
                AuditRecordReader.Ledger(_connection, transaction, workspaceId),
                AuditRecordReader.Events(_connection, transaction, workspaceId));
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"'{Path}' could not be read: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
