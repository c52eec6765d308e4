using System.Data;
using Keel.Audit;
using Keel.Storage.Postgres.Runs;
using Npgsql;

namespace Keel.Storage.Postgres;

/// <summary>Verifies the audit log of a PostgreSQL store without changing it — no migration, a read-only repeatable-read transaction —
/// for <c>keel audit verify --store postgres</c> and other tools. Writers on every instance go on meanwhile.</summary>
/// <remarks>Thread-safe. Dispose it to close its pool.</remarks>
public sealed class PostgresAuditReader : IAsyncDisposable
{
    private readonly PostgresDatabase _database;

    private PostgresAuditReader(PostgresDatabase database) => _database = database;

    /// <summary>The store's name in messages: user, host, port and database (never the password).</summary>
    public string Name => _database.Name;

    /// <summary>Connects and checks that the database holds a Keel store.</summary>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The reader; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">The connection string is invalid.</exception>
    /// <exception cref="StoreException">The server could not be reached or refused the login (its <see cref="Exception.InnerException"/> is
    /// an <see cref="NpgsqlException"/>), or the database holds no Keel store (no inner exception).</exception>
    public static async Task<PostgresAuditReader> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = connectionString, Redactor = null }, TimeProvider.System);
        try
        {
            object? version;
            try
            {
                await using var connection = await database.OpenConnectionAsync(cancellationToken);
                version = await Sql.ScalarAsync(connection, null, "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN NULL ELSE 1 END");
                if (version is int)
                {
                    version = await Sql.ScalarAsync(connection, null, "SELECT coalesce(max(version), 0) FROM schema_migrations");
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                throw new StoreException($"{database.Name}: the database could not be read. {ex.Message} Check the connection string and that the server is running.", ex);
            }

            if (version is not int v || v < 1)
            {
                throw new StoreException($"{database.Name}: the database holds no Keel store (no schema_migrations table). Start keel serve --store postgres on it once to create one.");
            }

            return new PostgresAuditReader(database);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Verifies the chain (<see cref="AuditVerifier"/>) on one snapshot of the database.</summary>
    /// <param name="workspaceId">Only this workspace; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>What was checked and every problem found.</returns>
    /// <exception cref="StoreException">The database could not be read.</exception>
    public async Task<AuditReport> VerifyAsync(string? workspaceId = null, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            await Sql.ExecuteAsync(connection, transaction, "SET TRANSACTION READ ONLY");
            var ledger = await AuditRecordReader.LedgerAsync(connection, transaction, workspaceId, cancellationToken);
            return AuditVerifier.Verify(ledger, AuditRecordReader.Events(connection, transaction, workspaceId));
        }
        catch (Exception ex) when (PostgresDatabase.IsStoreFailure(ex))
        {
            throw new StoreException($"{Name}: the audit log could not be read. {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
