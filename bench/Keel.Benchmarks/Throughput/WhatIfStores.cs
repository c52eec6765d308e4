using Keel.Model;
using Keel.Storage;
using Keel.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Keel.Benchmarks.Throughput;

/// <summary>
/// What-if variants of the SQLite store, built around the shipped <see cref="SqliteRunStore"/> (its migrations, its writer)
/// without changing it, to measure a storage layout or a commit policy before anyone ships it.
/// </summary>
internal static class WhatIfStores
{
    /// <summary>The tables of the shipped schema.</summary>
    public static readonly string[] AllTables = ["runs", "events", "decisions", "findings", "failures"];

    /// <summary>A storage layout: the page size and which tables are <c>WITHOUT ROWID</c>.</summary>
    /// <param name="PageSize">Bytes per page.</param>
    /// <param name="WithoutRowid">The tables stored <c>WITHOUT ROWID</c>; every other table is an ordinary rowid table.</param>
    public sealed record Layout(int PageSize, IReadOnlySet<string> WithoutRowid)
    {
        /// <summary>4 KiB pages, every table <c>WITHOUT ROWID</c>: the layout of commits 73ed001 to 563d81a.</summary>
        public static Layout WithoutRowid4K { get; } = new(4096, AllTables.ToHashSet());

        /// <summary>4 KiB pages, only <c>events</c> a rowid table.</summary>
        public static Layout RowidEvents4K { get; } = new(4096, AllTables.Where(t => t != "events").ToHashSet());

        /// <summary>4 KiB pages, every table a rowid table.</summary>
        public static Layout Rowid4K { get; } = new(4096, new HashSet<string>());

        /// <summary>16 KiB pages, every table a rowid table.</summary>
        public static Layout Rowid16K { get; } = new(16384, new HashSet<string>());

        public override string ToString()
        {
            var rowid = AllTables.Where(t => !WithoutRowid.Contains(t)).ToArray();
            var tables = rowid.Length == 0 ? "WITHOUT ROWID tables"
                : rowid.Length == AllTables.Length ? "rowid tables"
                : $"{string.Join(", ", rowid)} rowid, the other tables WITHOUT ROWID";
            return $"{PageSize / 1024} KiB pages, {tables}";
        }
    }

    /// <summary>The layout of a store file.</summary>
    public static Layout Describe(string path)
    {
        using var connection = Connect(path);
        var pageSize = int.Parse(Scalar(connection, "PRAGMA page_size")!, System.Globalization.CultureInfo.InvariantCulture);
        var withoutRowid = AllTables.Where(t => IsWithoutRowid(TableSql(connection, t))).ToHashSet();
        return new Layout(pageSize, withoutRowid);
    }

    /// <summary>Creates a store file with the shipped migrations in the given <paramref name="layout"/>, whatever layout the
    /// shipped migrations choose, and opens the shipped store on it. The page size is set on the empty file before the store
    /// opens it (SQLite fixes it with the first page); tables in the other form are rebuilt with the same columns, keys and
    /// indexes (a rowid table keeps its primary key as a separate unique index).</summary>
    public static async Task<SqliteRunStore> OpenAsync(string path, Layout layout)
    {
        using (var connection = Connect(path))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA page_size = {layout.PageSize}; CREATE TABLE keel_bench_page_size (x); DROP TABLE keel_bench_page_size;";
            command.ExecuteNonQuery();
        }

        await (await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = path })).DisposeAsync();
        using (var connection = Connect(path))
        {
            var script = new System.Text.StringBuilder("PRAGMA foreign_keys = OFF; BEGIN;");
            foreach (var table in AllTables)
            {
                var sql = TableSql(connection, table);
                var want = layout.WithoutRowid.Contains(table);
                if (IsWithoutRowid(sql) == want)
                {
                    continue;
                }

                var rebuilt = want ? sql.TrimEnd() + (sql.TrimEnd().EndsWith("STRICT", StringComparison.OrdinalIgnoreCase) ? ", WITHOUT ROWID" : " WITHOUT ROWID")
                    : sql.Replace(", WITHOUT ROWID", string.Empty, StringComparison.OrdinalIgnoreCase).Replace(" WITHOUT ROWID", string.Empty, StringComparison.OrdinalIgnoreCase);
                var indexes = Column(connection, $"SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}' AND sql IS NOT NULL");
                script.Append($" DROP TABLE {table}; {rebuilt};");
                foreach (var index in indexes)
                {
                    script.Append($" {index};");
                }
            }

            using var rebuild = connection.CreateCommand();
            rebuild.CommandText = script.Append(" COMMIT;").ToString();
            rebuild.ExecuteNonQuery();
        }

        var actual = Describe(path);
        if (actual.PageSize != layout.PageSize || !actual.WithoutRowid.SetEquals(layout.WithoutRowid))
        {
            throw new InvalidOperationException($"the store file has {actual}, not {layout}");
        }

        return await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = path });
    }

    private static string TableSql(SqliteConnection connection, string table) =>
        Scalar(connection, $"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'")
        ?? throw new InvalidOperationException($"the shipped schema has no table {table}");

    private static bool IsWithoutRowid(string sql) => sql.Contains("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase);

    private static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
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

    /// <summary>An <see cref="IRunStore"/> decorator that buffers the runs <see cref="Replay.ReplayJob"/> saves (one by one,
    /// or in the small batches of whatever is ready) and writes them with <see cref="SqliteRunStore.SaveRunsAsync"/> in
    /// batches of exactly <paramref name="batchSize"/>: one commit per <paramref name="batchSize"/> runs. Not a valid
    /// store (a run is durable only after its batch's commit).</summary>
    public sealed class Batching(SqliteRunStore inner, int batchSize) : IRunStore, IAsyncDisposable
    {
        private readonly List<Run> _pending = new(batchSize);

        public async Task SaveRunsAsync(IReadOnlyList<Run> runs, CancellationToken cancellationToken = default)
        {
            foreach (var run in runs)
            {
                await SaveRunAsync(run, cancellationToken);
            }
        }

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

    /// <summary>Like <see cref="Batching"/>, but a full batch is written by a background task while the job goes on
    /// replaying (at most one batch in flight; the next full batch waits for it): what <see cref="Replay.ReplayJob"/> would
    /// gain by moving the SQLite writes off its single consumer loop, which otherwise waits for each commit before it
    /// takes the next replayed runs. Not a valid store (see <see cref="Batching"/>).</summary>
    public sealed class BackgroundBatching(SqliteRunStore inner, int batchSize) : IRunStore, IAsyncDisposable
    {
        private List<Run> _pending = new(batchSize);
        private Task _inFlight = Task.CompletedTask;

        public async Task SaveRunsAsync(IReadOnlyList<Run> runs, CancellationToken cancellationToken = default)
        {
            foreach (var run in runs)
            {
                await SaveRunAsync(run, cancellationToken);
            }
        }

        public async Task SaveRunAsync(Run run, CancellationToken cancellationToken = default)
        {
            _pending.Add(run);
            if (_pending.Count >= batchSize)
            {
                await _inFlight;
                var batch = _pending;
                _pending = new List<Run>(batchSize);
                _inFlight = Task.Run(() => inner.SaveRunsAsync(batch, cancellationToken), cancellationToken);
            }
        }

        public async Task FlushAsync(CancellationToken cancellationToken = default)
        {
            await _inFlight;
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
