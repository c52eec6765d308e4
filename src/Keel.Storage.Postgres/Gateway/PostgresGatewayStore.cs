using System.Data;
using Npgsql;

namespace Keel.Storage.Postgres.Gateway;

/// <summary>The live gateway's storage ports (<see cref="IGatewayStore"/>) on PostgreSQL, in the same database as the runs: workspaces
/// and their budgets, API keys, approvals, idempotency records and the access log, shared by every server instance on the database.
/// Records arrive sealed (<see cref="SealedGatewayStore"/>).</summary>
/// <remarks>
/// <para>Thread-safe; connections come from a pool. Every check and the change it allows is one read-committed transaction that locks
/// what it decides on, so it is atomic across instances: a budget reservation locks its window row (<c>SELECT … FOR UPDATE</c>),
/// consuming an approval updates one granted row chosen with <c>FOR UPDATE SKIP LOCKED</c>, claiming an idempotency key inserts it
/// with <c>ON CONFLICT DO NOTHING</c> and reads the winner under a row lock, and approval requests for one call are serialized by an
/// advisory lock. Every query is filtered by workspace.</para>
/// <para>Dispose the store to close its pool (unless the pool is shared through <c>UsePostgres</c>).</para>
/// </remarks>
public sealed partial class PostgresGatewayStore : IGatewayStore, IAsyncDisposable
{
    private readonly PostgresDatabase _database;
    private readonly bool _ownsDatabase;
    private readonly TimeProvider _time;

    /// <summary>Creates the store with a pool of its own; the database is reached (and migrated) on first use.</summary>
    /// <param name="options">The connection string (the same settings as the run store).</param>
    /// <param name="timeProvider">The clock for records; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The connection string is invalid; the message names the setting and the fix.</exception>
    public PostgresGatewayStore(PostgresStoreOptions options, TimeProvider? timeProvider = null)
        : this(new PostgresDatabase(options ?? throw new ArgumentNullException(nameof(options)), timeProvider ?? TimeProvider.System), ownsDatabase: true)
    {
    }

    internal PostgresGatewayStore(PostgresDatabase database, bool ownsDatabase)
    {
        _database = database;
        _ownsDatabase = ownsDatabase;
        _time = database.Time;
    }

    /// <summary>The store's name in messages: user, host, port and database (never the password).</summary>
    public string Name => _database.Name;

    /// <summary>Closes the store's pool (when it owns it). Later calls throw <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A task that completes when the pool is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDatabase)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>Runs <paramref name="work"/> in a read-committed transaction that commits when it returns and rolls back when it throws.</summary>
    private Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, string failure, CancellationToken cancellationToken) =>
        _database.InTransactionAsync(IsolationLevel.ReadCommitted, work, failure, cancellationToken);
}
