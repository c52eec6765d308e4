using System.Data;
using Keel.Audit;
using Keel.Model;
using Keel.Redaction;
using Keel.Storage.Postgres.Runs;

namespace Keel.Storage.Postgres;

/// <summary>Keel's shared <see cref="IRunStore"/> on PostgreSQL, for several server instances on one database: runs with their
/// hash-chained events, the per-workspace audit ledger (<see cref="IAuditLog"/>) and the live path's commits (<see cref="ILiveRunStore"/>),
/// with numbered migrations applied when it opens.</summary>
/// <remarks>
/// <para>Thread-safe; connections come from a pool (<c>NpgsqlDataSource</c>). Every write is one read-committed transaction that first
/// takes the workspace's ledger lock (<c>pg_advisory_xact_lock</c>, <see cref="LockKeys.Ledger"/>), so commits to a workspace's runs are
/// serialized across every instance, its ledger never forks, and each run's stored head is read and extended under the lock (the run
/// row is also locked <c>FOR UPDATE</c>). Writes to different workspaces proceed in parallel.</para>
/// <para>Events are sealed in Core (<see cref="SealedRun"/>: redacted, serialized, hash-chained) before any statement runs; times are
/// stored as the text the audit hash covers (<see cref="PostgresTime"/>), so <see cref="VerifyAsync"/> recomputes identical hashes.</para>
/// <para>The database is migrated on first use or on <see cref="InitializeAsync"/>. Dispose the store to close its pool (unless the pool
/// is shared through <c>UsePostgres</c>, which closes it with the container).</para>
/// </remarks>
public sealed partial class PostgresRunStore : IRunStore, IAuditLog, IAsyncDisposable
{
    private readonly PostgresDatabase _database;
    private readonly bool _ownsDatabase;
    private readonly RunWriter _writer;
    private readonly Redactor? _redactor;

    /// <summary>Creates the store with a pool of its own; nothing connects until first use or <see cref="InitializeAsync"/>.</summary>
    /// <param name="options">The settings; copied, so later changes to <paramref name="options"/> have no effect.</param>
    /// <param name="timeProvider">The clock for migration records and audit ledger rows; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The connection string is invalid; the message names the setting and the fix.</exception>
    public PostgresRunStore(PostgresStoreOptions options, TimeProvider? timeProvider = null)
        : this(new PostgresDatabase(options ?? throw new ArgumentNullException(nameof(options)), timeProvider ?? TimeProvider.System), options.Redactor, ownsDatabase: true)
    {
    }

    internal PostgresRunStore(PostgresDatabase database, Redactor? redactor, bool ownsDatabase)
    {
        _database = database;
        _ownsDatabase = ownsDatabase;
        _redactor = redactor;
        _writer = new RunWriter(redactor, database.Time);
    }

    /// <summary>The store's name in messages: user, host, port and database (never the password).</summary>
    public string Name => _database.Name;

    /// <summary>Creates a store and opens it: the database is reached and migrated before this returns.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open store; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">The connection string is invalid.</exception>
    /// <exception cref="StoreException">The server could not be reached, refused the login, or the database could not be migrated.</exception>
    public static async Task<PostgresRunStore> OpenAsync(PostgresStoreOptions options, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var store = new PostgresRunStore(options, timeProvider);
        try
        {
            await store.InitializeAsync(cancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reaches the database and applies pending migrations, if not done yet; every other method does this on first use.</summary>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="StoreException">The server could not be reached, refused the login, or a migration failed.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _database.EnsureMigratedAsync(cancellationToken);

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Task SaveRunAsync(Run run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var prepared = SealedRun.Seal(run, _redactor); // before any connection: sealing needs nothing from the database
        return _database.InTransactionAsync(IsolationLevel.ReadCommitted, async (connection, transaction) =>
        {
            await Sql.LockAsync(connection, transaction, [LockKeys.Ledger(run.WorkspaceId)]);
            await _writer.SaveAsync(connection, transaction, run, prepared);
            return true;
        }, $"run '{run.Id}' of workspace '{run.WorkspaceId}' was not saved; nothing of it was written", cancellationToken);
    }

    /// <summary>Stores several runs in one transaction, each all-or-nothing on its own (a savepoint per run). Saving a run id again
    /// replaces it, also within the same batch (the later one wins). The ledger locks of every workspace in the batch are taken first,
    /// in ascending key order.</summary>
    /// <param name="runs">The runs, written in order.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is written when cancelled.</param>
    /// <returns>A task that completes when the transaction has committed.</returns>
    /// <exception cref="ArgumentException"><paramref name="runs"/> holds a <see langword="null"/>.</exception>
    /// <exception cref="StoreException">Some runs were not saved: the message names them, and says whether the others were committed
    /// (a failing run is rolled back alone) or not (the transaction itself failed).</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public async Task SaveRunsAsync(IReadOnlyList<Run> runs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        for (var i = 0; i < runs.Count; i++)
        {
            if (runs[i] is null)
            {
                throw new ArgumentException($"runs[{i}] is null.", nameof(runs));
            }
        }

        if (runs.Count == 0)
        {
            return;
        }

        var prepared = SealedRun.SealAll(runs, _redactor, cancellationToken);
        var failed = await _database.InTransactionAsync(IsolationLevel.ReadCommitted, async (connection, transaction) =>
        {
            await Sql.LockAsync(connection, transaction, runs.Select(r => LockKeys.Ledger(r.WorkspaceId)));
            var failures = new List<(Run Run, Exception Error)>();
            for (var i = 0; i < runs.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await transaction.SaveAsync("keel_run", cancellationToken);
                try
                {
                    await _writer.SaveAsync(connection, transaction, runs[i], prepared[i]);
                    await transaction.ReleaseAsync("keel_run", cancellationToken);
                }
                catch (Exception ex) when (PostgresDatabase.IsStoreFailure(ex) && ex is not Npgsql.NpgsqlException { IsTransient: true })
                {
                    await transaction.RollbackAsync("keel_run", cancellationToken);
                    failures.Add((runs[i], ex));
                }
            }

            return failures;
        }, $"none of the {runs.Count} runs of the batch was saved; the transaction failed", cancellationToken);

        if (failed.Count > 0)
        {
            var names = string.Join(", ", failed.Take(5).Select(f => $"'{f.Run.Id}' ({f.Error.Message})"));
            var more = failed.Count > 5 ? $" and {failed.Count - 5} more" : string.Empty;
            throw new StoreException(
                $"{Name}: {failed.Count} of {runs.Count} runs were not saved, and nothing of each was written: {names}{more}. The other {runs.Count - failed.Count} runs were saved.",
                failed.Count == 1 ? failed[0].Error : new AggregateException(failed.Select(f => f.Error)));
        }
    }

    /// <inheritdoc />
    /// <exception cref="StoreException">The run could not be read back (damaged rows, unknown values, unreachable server).</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Task<Run?> GetRunAsync(string workspaceId, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceId);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return _database.InTransactionAsync(
            IsolationLevel.RepeatableRead,
            (connection, transaction) => RunReader.ReadAsync(connection, transaction, workspaceId, runId, cancellationToken),
            $"run '{runId}' of workspace '{workspaceId}' could not be read",
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Ties on the start time are ordered by run id, ascending (ordinal).</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is outside 1–10,000.</exception>
    /// <exception cref="StoreException">The listing could not be read.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public async Task<IReadOnlyList<RunSummary>> ListRunsAsync(string workspaceId, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 10_000);
        return (await QueryRunsAsync(workspaceId, new RunQuery { Limit = limit }, cancellationToken)).Runs;
    }

    /// <inheritdoc />
    /// <remarks>One SQL query: tags through the findings' types (index <c>findings_by_type</c>), sentiment through
    /// <c>runs.customer_sentiment</c>, the cursor through <c>runs_by_started_at</c>. Ties on the start time are ordered by run id,
    /// ascending (ordinal).</remarks>
    /// <exception cref="StoreException">The listing could not be read.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public async Task<RunPage> QueryRunsAsync(string workspaceId, RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceId);
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var read = await _database.InTransactionAsync(
            IsolationLevel.ReadCommitted,
            (connection, transaction) => RunReader.QueryAsync(connection, transaction, workspaceId, query, cancellationToken),
            $"runs of workspace '{workspaceId}' could not be listed",
            cancellationToken);
        return RunPage.Of(read, query.Limit);
    }

    /// <inheritdoc />
    /// <exception cref="StoreException">The run could not be read.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Task<RunSummary?> GetRunSummaryAsync(string workspaceId, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceId);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return _database.InTransactionAsync(
            IsolationLevel.ReadCommitted,
            (connection, transaction) => RunReader.SummaryAsync(connection, transaction, workspaceId, runId, cancellationToken),
            $"run '{runId}' of workspace '{workspaceId}' could not be read",
            cancellationToken);
    }

    /// <summary>Closes the store's pool (when it owns it). Later calls throw <see cref="ObjectDisposedException"/>; disposing twice is harmless.</summary>
    /// <returns>A task that completes when the pool is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDatabase)
        {
            await _database.DisposeAsync();
        }
    }
}
