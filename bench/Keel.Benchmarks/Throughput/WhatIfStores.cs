using Keel.Model;
using Keel.Storage;
using Keel.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Keel.Benchmarks.Throughput;

/// <summary>
/// What-if variants of the SQLite store, built from the shipped <see cref="SqliteRunStore"/> without changing it, to
/// measure the gain of a suggested change before anyone makes it.
/// </summary>
internal static class WhatIfStores
{
    /// <summary>The tables of the shipped schema.</summary>
    public static readonly string[] AllTables = ["runs", "events", "decisions", "findings", "failures"];

    /// <summary>Creates a store file with the shipped migrations, then rebuilds the given tables as ordinary rowid tables
    /// (same columns, same primary key, which becomes a separate unique index; same secondary indexes) instead of
    /// <c>WITHOUT ROWID</c>, and opens the shipped store on it.</summary>
    public static async Task<SqliteRunStore> OpenWithRowidTablesAsync(string path, params string[] tables)
    {
        await (await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = path })).DisposeAsync();
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            connection.Open();
            var script = new System.Text.StringBuilder("PRAGMA foreign_keys = OFF; BEGIN;");
            foreach (var table in tables)
            {
                var sql = Scalar(connection, $"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'")
                    ?? throw new InvalidOperationException($"the shipped schema has no table {table}");
                var rowid = sql.Replace(", WITHOUT ROWID", string.Empty, StringComparison.OrdinalIgnoreCase);
                if (rowid == sql)
                {
                    throw new InvalidOperationException($"table {table} is not WITHOUT ROWID any more: {sql}");
                }

                var indexes = Column(connection, $"SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}' AND sql IS NOT NULL");
                script.Append($" DROP TABLE {table}; {rowid};");
                foreach (var index in indexes)
                {
                    script.Append($" {index};");
                }
            }

            using var rebuild = connection.CreateCommand();
            rebuild.CommandText = script.Append(" COMMIT;").ToString();
            rebuild.ExecuteNonQuery();
        }

        return await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = path });
    }

    private static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }

    private static List<string> Column(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>An <see cref="IRunStore"/> decorator that buffers saved runs and writes them with
    /// <see cref="SqliteRunStore.SaveRunsAsync"/> in batches: what <see cref="Replay.ReplayJob"/> would gain by committing
    /// once per batch instead of once per run. Not a valid store (a run is durable only after the batch's commit).</summary>
    public sealed class Batching(SqliteRunStore inner, int batchSize) : IRunStore, IAsyncDisposable
    {
        private readonly List<Run> _pending = new(batchSize);

        public async Task SaveRunAsync(Run run, CancellationToken cancellationToken = default)
        {
            _pending.Add(run);
            if (_pending.Count >= batchSize)
            {
                await FlushAsync(cancellationToken);
            }
        }

        public async Task FlushAsync(CancellationToken cancellationToken = default)
        {
            if (_pending.Count > 0)
            {
                await inner.SaveRunsAsync(_pending, cancellationToken);
                _pending.Clear();
            }
        }

        public Task<Run?> GetRunAsync(string workspaceId, string runId, CancellationToken cancellationToken = default) =>
            inner.GetRunAsync(workspaceId, runId, cancellationToken);

        public Task<IReadOnlyList<RunSummary>> ListRunsAsync(string workspaceId, int limit = 100, CancellationToken cancellationToken = default) =>
            inner.ListRunsAsync(workspaceId, limit, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await FlushAsync();
            await inner.DisposeAsync();
        }
    }

    /// <summary>Stores nothing: isolates the job's own cost from the store's.</summary>
    public sealed class Null : IRunStore
    {
        public Task SaveRunAsync(Run run, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<Run?> GetRunAsync(string workspaceId, string runId, CancellationToken cancellationToken = default) => Task.FromResult<Run?>(null);

        public Task<IReadOnlyList<RunSummary>> ListRunsAsync(string workspaceId, int limit = 100, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<RunSummary>>([]);
    }
}
