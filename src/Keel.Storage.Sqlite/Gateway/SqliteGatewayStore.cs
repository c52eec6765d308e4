using Keel.Approvals;
using Keel.Budgets;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Gateway;

/// <summary>The live gateway's storage ports (<see cref="IGatewayStore"/>) in the same SQLite file as the runs: workspaces and
/// their budgets, API keys, approvals, idempotency records and the access log. Records arrive sealed (<see cref="SealedGatewayStore"/>).</summary>
/// <remarks>
/// <para>Thread-safe: one connection behind a gate; every write is one <c>BEGIN IMMEDIATE</c> transaction, so a check and the
/// change it allows (a budget reservation, consuming an approval, claiming an idempotency key) are atomic also against other
/// processes on the same file. Every query is filtered by workspace.</para>
/// <para>Dispose the store to close the file.</para>
/// </remarks>
public sealed partial class SqliteGatewayStore : IGatewayStore, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeSpan _busyTimeout;
    private readonly TimeProvider _time;
    private readonly string _name;
    private readonly SqliteRunStore? _shared;
    private SqliteConnection? _connection;
    private bool _disposed;

    /// <summary>Creates the store; the file opens (and migrates) on first use.</summary>
    /// <param name="options">The file and busy timeout (the same settings as the run store).</param>
    /// <param name="timeProvider">The clock for records; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it and the fix.</exception>
    public SqliteGatewayStore(SqliteRunStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Path = System.IO.Path.GetFullPath(options.Path);
        _busyTimeout = options.BusyTimeout;
        _time = timeProvider ?? TimeProvider.System;
        _name = $"SQLite gateway store '{Path}'";
    }

    /// <summary>Creates the store on the connection of a run store over the same file: one connection and one gate for both, so
    /// a request's idempotency claim, budget reservation and commit never wait on each other's file lock.</summary>
    /// <param name="shared">The run store whose connection and gate are used (it owns and closes them).</param>
    /// <param name="timeProvider">The clock for records.</param>
    /// <exception cref="ArgumentNullException"><paramref name="shared"/> is <see langword="null"/>.</exception>
    public SqliteGatewayStore(SqliteRunStore shared, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(shared);
        _shared = shared;
        Path = shared.Path;
        _time = timeProvider ?? TimeProvider.System;
        _name = $"SQLite gateway store '{Path}'";
    }

    /// <summary>The absolute path of the database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _disposed = true;
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
                _connection = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> on the connection, inside a write (<c>BEGIN IMMEDIATE</c>) or read transaction that
    /// commits when it returns and rolls back when it throws.</summary>
    private async Task<T> InTransactionAsync<T>(bool write, Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        var gate = _shared?.Gate ?? _gate;
        await gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var connection = _shared is not null ? _shared.Connection() : _connection ??= SqliteDatabase.Open(Path, _busyTimeout, _time);
            cancellationToken.ThrowIfCancellationRequested();
            using var transaction = SqliteDatabase.Begin(connection, deferred: !write, _name);
            try
            {
                var result = work(connection, transaction);
                transaction.Commit();
                return result;
            }
            catch (Exception ex) when (ex is SqliteException or InvalidDataException or System.Text.Json.JsonException or FormatException)
            {
                // A failure of the file, or a damaged row (an unknown state, a time not in the stored format): the same kinds the
                // PostgreSQL store wraps (PostgresDatabase.IsStoreFailure).
                transaction.Rollback();
                throw new StoreException($"{_name}: {ex.Message}", ex);
            }
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"{_name}: the file could not be opened. {ex.Message}", ex);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A command in the caller's transaction with named parameters (<see langword="null"/> bound as SQL NULL).</summary>
    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static long? Int(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
