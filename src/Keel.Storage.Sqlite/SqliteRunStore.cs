using Keel.Audit;
using Keel.Model;
using Keel.Redaction;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>Keel's embedded default <see cref="IRunStore"/>: one SQLite file in WAL mode, with numbered migrations
/// applied when it opens.</summary>
/// <remarks>
/// <para>Thread-safe. The store holds one connection, guarded by a gate, and prepares its statements once; SQLite
/// serializes writes anyway. Other processes may use the same file; a writer waits up to
/// <see cref="SqliteRunStoreOptions.BusyTimeout"/> for their locks.</para>
/// <para>Each run is written in one transaction: earlier rows of the same run id are deleted, then the run, its events
/// (as <see cref="RunEventJson"/>), its decisions and findings (as SQL rows for reports) and its failures are inserted.
/// On any failure the transaction rolls back and nothing of the run is written. <see cref="AppendAsync"/> writes only what a
/// live run gained.</para>
/// <para>Everything written passes <see cref="SqliteRunStoreOptions.Redactor"/> first (on by default). Each event carries the
/// hash of the one before it in its run, and each commit appends a row to the workspace's audit ledger in the same
/// transaction (<see cref="IAuditLog"/>, docs/audit.md).</para>
/// <para>The file opens on first use, or on <see cref="InitializeAsync"/>. Dispose the store to close it.</para>
/// </remarks>
public sealed partial class SqliteRunStore : IRunStore, IAuditLog, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeSpan _busyTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly Redactor? _redactor;
    private readonly string _name;
    private SqliteConnection? _connection;
    private RunSaver? _saver;
    private RunReader? _reader;
    private bool _disposed;

    /// <summary>Creates the store; nothing is opened until first use or <see cref="InitializeAsync"/>.</summary>
    /// <param name="options">The settings; copied, so later changes to <paramref name="options"/> have no effect.</param>
    /// <param name="timeProvider">The clock for migration records and audit ledger rows; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it and the fix.</exception>
    public SqliteRunStore(SqliteRunStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Path = System.IO.Path.GetFullPath(options.Path);
        _busyTimeout = options.BusyTimeout;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _redactor = options.Redactor;
        _name = $"SQLite store '{Path}'";
    }

    /// <summary>The absolute path of the database file.</summary>
    public string Path { get; }

    /// <summary>Creates a store and opens it: the file is created and migrated before this returns.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="timeProvider">The clock for migration records and audit ledger rows; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for the gate.</param>
    /// <returns>The open store; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    /// <exception cref="StoreException">The file could not be opened or migrated.</exception>
    public static async Task<SqliteRunStore> OpenAsync(SqliteRunStoreOptions options, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var store = new SqliteRunStore(options, timeProvider);
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

    /// <summary>Opens the file and applies pending migrations, if not done yet; every other method does this on first use.</summary>
    /// <param name="cancellationToken">Cancels the wait for the gate.</param>
    /// <returns>A task that completes when the store is open.</returns>
    /// <exception cref="StoreException">The file could not be opened or migrated (locked, not a database, newer schema).</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            EnsureOpen();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public async Task SaveRunAsync(Run run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var prepared = SealedRun.Seal(run, _redactor); // outside the gate: needs nothing from the file
        await _gate.WaitAsync(cancellationToken);
        try
        {
            EnsureOpen().Saver.SaveOne(run, prepared, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stores several runs in one transaction, each all-or-nothing on its own (a savepoint per run): faster
    /// than one <see cref="SaveRunAsync"/> per run when replaying many runs. Saving a run id again replaces it, also
    /// within the same batch (the later one wins).</summary>
    /// <param name="runs">The runs, written in order.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is written when cancelled.</param>
    /// <returns>A task that completes when the transaction has committed.</returns>
    /// <exception cref="ArgumentException"><paramref name="runs"/> holds a <see langword="null"/>.</exception>
    /// <exception cref="StoreException">Some runs were not saved: the message names them, and says whether the others
    /// were committed (a failing run is rolled back alone) or not (the transaction itself failed).</exception>
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

        // Serializing, redacting and chaining need nothing from the file: done on every core before taking the gate.
        var prepared = SealedRun.SealAll(runs, _redactor, cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            EnsureOpen().Saver.SaveBatch(runs, prepared, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    /// <exception cref="StoreException">The run could not be read back (damaged rows, unknown values, locked file).</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public async Task<Run?> GetRunAsync(string workspaceId, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceId);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return await ReadAsync((r, t) => r.Read(workspaceId, runId, t), () => $"run '{runId}' of workspace '{workspaceId}' could not be read.", cancellationToken);
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
        var read = await ReadAsync((r, t) => r.Query(workspaceId, query, t), () => $"runs of workspace '{workspaceId}' could not be listed.", cancellationToken);
        return RunPage.Of(read, query.Limit);
    }

    /// <inheritdoc />
    /// <exception cref="StoreException">The run could not be read.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public async Task<RunSummary?> GetRunSummaryAsync(string workspaceId, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceId);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return await ReadAsync((r, t) => r.Summary(workspaceId, runId, t), () => $"run '{runId}' of workspace '{workspaceId}' could not be read.", cancellationToken);
    }

    /// <summary>One read in a deferred transaction under the store's gate; any failure but cancellation becomes a
    /// <see cref="StoreException"/> saying what could not be read.</summary>
    private async Task<T> ReadAsync<T>(Func<RunReader, SqliteTransaction, T> read, Func<string> what, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var (connection, _, reader) = EnsureOpen();
            using var transaction = SqliteDatabase.Begin(connection, deferred: true, _name);
            try
            {
                return read(reader, transaction);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new StoreException($"{_name}: {what()} {ex.Message}", ex);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the file. Later calls throw <see cref="ObjectDisposedException"/>; disposing twice is harmless.</summary>
    /// <returns>A task that completes when the connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        // The gate itself is not disposed: a call still waiting on it must wake and throw ObjectDisposedException.
        await _gate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _saver?.Dispose();
            _reader?.Dispose();
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
            }

            _saver = null;
            _reader = null;
            _connection = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The gate that serializes all use of the connection (shared with a <see cref="Gateway.SqliteGatewayStore"/> on it).</summary>
    internal SemaphoreSlim Gate => _gate;

    /// <summary>The open connection; call only while holding <see cref="Gate"/>.</summary>
    /// <exception cref="StoreException">The file could not be opened.</exception>
    internal SqliteConnection Connection() => EnsureOpen().Connection;

    private (SqliteConnection Connection, RunSaver Saver, RunReader Reader) EnsureOpen()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_connection is not null)
        {
            return (_connection, _saver!, _reader!);
        }

        SqliteConnection? connection = null;
        try
        {
            connection = SqliteDatabase.Open(Path, _busyTimeout, _timeProvider);
            _saver = new RunSaver(connection, Path, _redactor, _timeProvider);
            _reader = new RunReader(connection);
            _connection = connection;
            return (_connection, _saver, _reader);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            _saver?.Dispose();
            _saver = null;
            connection?.Dispose();
            throw new StoreException($"{_name}: the database could not be opened. {ex.Message} Check SqliteRunStoreOptions.Path and the file's permissions.", ex);
        }
    }
}
