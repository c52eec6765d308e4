using System.Data;
using System.Text.Json;
using Keel.Storage.Postgres.Migrations;
using Npgsql;

namespace Keel.Storage.Postgres;

/// <summary>One PostgreSQL database as the stores use it: the connection pool (<see cref="NpgsqlDataSource"/>), the migrations
/// applied once before the first connection is handed out, and transactions whose failures become <see cref="StoreException"/>s
/// that name the store, never its password.</summary>
/// <remarks>Thread-safe. Shared by the run store and the gateway store of one composition (<c>UsePostgres</c>), so a process has one pool.</remarks>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _migrateGate = new(1, 1);
    private volatile bool _migrated;
    private volatile bool _disposed;

    /// <summary>Creates the pool; nothing connects until first use.</summary>
    /// <param name="options">The settings (validated here).</param>
    /// <param name="timeProvider">The clock for migration records.</param>
    /// <exception cref="ArgumentException">The connection string is invalid.</exception>
    public PostgresDatabase(PostgresStoreOptions options, TimeProvider timeProvider)
    {
        var builder = PostgresStoreOptions.Parse(options.ConnectionString);
        Name = $"PostgreSQL store '{builder.Username ?? "(default user)"}@{builder.Host}:{builder.Port}/{builder.Database ?? "(default database)"}'";
        Time = timeProvider;
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>The store's name for messages: user, host, port and database, never the password.</summary>
    public string Name { get; }

    /// <summary>The clock of records and ledger rows.</summary>
    public TimeProvider Time { get; }

    /// <summary>Applies pending migrations (once per instance), unless done.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="StoreException">The server cannot be reached, refused the login, or a migration failed.</exception>
    public async Task EnsureMigratedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_migrated)
        {
            return;
        }

        await _migrateGate.WaitAsync(cancellationToken);
        try
        {
            if (_migrated)
            {
                return;
            }

            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await MigrationRunner.ApplyAsync(connection, MigrationCatalog.All, Time, Name, cancellationToken);
            _migrated = true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new StoreException(
                $"{Name}: the database could not be opened or migrated. {ex.Message} Check PostgresStoreOptions.ConnectionString, that the server "
                + "is running and reachable, and that the user may create tables in the database.", ex);
        }
        finally
        {
            _migrateGate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> in a transaction on a pooled connection: committed when it returns, rolled back when
    /// it throws or the token is cancelled before the commit.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="isolation">The isolation level: read committed for writes that lock what they decide on, repeatable read for
    /// reads that need one snapshot.</param>
    /// <param name="work">The statements.</param>
    /// <param name="failure">What failed, for the message of the <see cref="StoreException"/> (names the run or record).</param>
    /// <param name="cancellationToken">Cancels the work; nothing is committed when cancelled.</param>
    /// <returns>What <paramref name="work"/> returned.</returns>
    /// <exception cref="StoreException">The database refused or could not be reached; nothing was committed.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public async Task<T> InTransactionAsync<T>(
        IsolationLevel isolation, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, string failure, CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken);
            var result = await work(connection, transaction);
            cancellationToken.ThrowIfCancellationRequested();
            await transaction.CommitAsync(CancellationToken.None);
            return result;
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            throw new StoreException($"{Name}: {failure}. {ex.Message}", ex);
        }
    }

    /// <summary>Opens a pooled connection outside any transaction (the audit reader's snapshot, the migration runner).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The open connection; the caller disposes it.</returns>
    /// <exception cref="NpgsqlException">The server could not be reached.</exception>
    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _dataSource.OpenConnectionAsync(cancellationToken);
    }

    /// <summary>Whether an exception is a failure of the store (wrapped) rather than a cancellation or a programming error.</summary>
    /// <param name="ex">The exception.</param>
    /// <returns>Whether to wrap it.</returns>
    public static bool IsStoreFailure(Exception ex) =>
        ex is NpgsqlException or TimeoutException or InvalidDataException or JsonException or FormatException
        || (ex is InvalidOperationException && ex is not ObjectDisposedException);

    /// <summary>Closes every pooled connection. Later calls throw <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A task that completes when the pool is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _dataSource.DisposeAsync();
    }
}
