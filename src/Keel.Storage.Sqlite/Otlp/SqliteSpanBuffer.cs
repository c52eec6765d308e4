using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Otlp;

/// <summary>The SQLite <see cref="ISpanBuffer"/>: its own file beside the store (<c>{store}.spans</c>), so the ingest path's writes never
/// wait for the run store's write lock nor it for them. Appends of concurrent exports are committed together (group commit: one
/// transaction, one fsync for every export waiting), each export's task completing only after that commit.</summary>
/// <remarks>WAL mode with <c>synchronous=FULL</c> by default: a committed append survives a process crash and a power loss. Thread-safe.</remarks>
public sealed class SqliteSpanBuffer : ISpanBuffer, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS spans (
            seq          INTEGER PRIMARY KEY,
            workspace_id TEXT NOT NULL,
            trace_id     TEXT NOT NULL,
            has_root     INTEGER NOT NULL,
            span_count   INTEGER NOT NULL,
            payload      BLOB NOT NULL
        ) STRICT;
        CREATE INDEX IF NOT EXISTS spans_by_trace ON spans (workspace_id, trace_id, seq);
        """;

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _lock = new(1, 1);

    // Reads go through a second connection: in WAL mode a reader sees the last commit without waiting for the writer, so building
    // runs never holds back the appends being acknowledged.
    private readonly SqliteConnection _reader;
    private readonly SemaphoreSlim _readLock = new(1, 1);
    /// <summary>The most exports waiting for the writer; an append beyond waits for room (back-pressure on the senders).</summary>
    private const int MaxWaitingAppends = 4_096;

    private readonly Channel<Append> _appends = Channel.CreateBounded<Append>(new BoundedChannelOptions(MaxWaitingAppends)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly Task _writer;
    private readonly string _path;

    /// <summary>Opens (and creates) the buffer file.</summary>
    /// <param name="path">The file, e.g. <c>keel.db.spans</c>; its folder is created when missing.</param>
    /// <param name="fullSync">Whether each commit is flushed to the disk (<c>synchronous=FULL</c>, survives a power loss) or only to the
    /// operating system (<c>NORMAL</c>, survives a process crash). The default is <see langword="true"/>.</param>
    /// <exception cref="StoreException">The file cannot be opened.</exception>
    public SqliteSpanBuffer(string path, bool fullSync = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false, DefaultTimeout = 5 }.ToString());
            _connection.Open();
            Execute($"PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = {(fullSync ? "FULL" : "NORMAL")};");
            Execute(Schema);
            _reader = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false, DefaultTimeout = 5, Mode = SqliteOpenMode.ReadOnly }.ToString());
            _reader.Open();
        }
        catch (SqliteException ex)
        {
            _connection?.Dispose();
            _reader?.Dispose();
            throw new StoreException($"span buffer '{_path}': the file cannot be opened. {ex.Message}", ex);
        }

        _writer = Task.Run(WriteLoopAsync);
    }

    /// <inheritdoc />
    /// <remarks>When <see cref="MaxWaitingAppends"/> exports already wait for the writer, the call waits for room; cancellation is honoured
    /// only while waiting (nothing is written then). An export taken by the writer is committed whatever happens to the token, and the task
    /// completes with that commit.</remarks>
    public async Task AppendAsync(IReadOnlyList<BufferedSpans> spans, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0)
        {
            return;
        }

        var append = new Append(spans, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await _appends.Writer.WriteAsync(append, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new StoreException($"span buffer '{_path}' is closed");
        }

        await append.Done.Task;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BufferedTrace>> ReadTracesAsync(IReadOnlyList<TraceKey> traces, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(traces);
        var read = new List<BufferedTrace>(traces.Count);
        if (traces.Count == 0)
        {
            return read;
        }

        await _readLock.WaitAsync(cancellationToken);
        try
        {
            using var command = _reader.CreateCommand();
            command.CommandText = "SELECT seq, payload FROM spans WHERE workspace_id = $w AND trace_id = $t ORDER BY seq";
            var workspace = command.Parameters.Add("$w", SqliteType.Text);
            var trace = command.Parameters.Add("$t", SqliteType.Text);
            command.Prepare();
            foreach (var key in traces)
            {
                workspace.Value = key.WorkspaceId;
                trace.Value = key.TraceId;
                var spans = new List<byte[]>();
                long last = 0;
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        last = reader.GetInt64(0);
                        spans.Add((byte[])reader[1]);
                    }
                }

                read.Add(new BufferedTrace(spans, last));
            }

            return read;
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"span buffer '{_path}': {traces.Count} trace(s) (first {traces[0].TraceId}) could not be read. {ex.Message}", ex);
        }
        finally
        {
            _readLock.Release();
        }
    }

    /// <inheritdoc />
    public async Task RemoveTracesAsync(IReadOnlyList<BuiltTrace> traces, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(traces);
        if (traces.Count == 0)
        {
            return;
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            using var transaction = _connection.BeginTransaction();
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM spans WHERE workspace_id = $w AND trace_id = $t AND seq <= $s";
            var workspace = command.Parameters.Add("$w", SqliteType.Text);
            var trace = command.Parameters.Add("$t", SqliteType.Text);
            var upTo = command.Parameters.Add("$s", SqliteType.Integer);
            command.Prepare();
            foreach (var built in traces)
            {
                workspace.Value = built.WorkspaceId;
                trace.Value = built.TraceId;
                upTo.Value = built.UpToSequence;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"span buffer '{_path}': {traces.Count} built trace(s) (first {traces[0].TraceId}) could not be removed. {ex.Message}", ex);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PendingTrace>> ListPendingAsync(CancellationToken cancellationToken = default)
    {
        await _readLock.WaitAsync(cancellationToken);
        try
        {
            using var command = _reader.CreateCommand();
            command.CommandText = "SELECT workspace_id, trace_id, sum(span_count), max(has_root) FROM spans GROUP BY workspace_id, trace_id";
            var pending = new List<PendingTrace>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                pending.Add(new PendingTrace(reader.GetString(0), reader.GetString(1), (int)reader.GetInt64(2), reader.GetInt64(3) != 0));
            }

            return pending;
        }
        finally
        {
            _readLock.Release();
        }
    }

    /// <summary>Stops accepting appends, finishes those queued and closes the file.</summary>
    public void Dispose()
    {
        _appends.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
        _reader.Dispose();
        _connection.Dispose();
        _lock.Dispose();
        _readLock.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Append>();
        while (await _appends.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < 256 && _appends.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            Exception? failure = null;
            await _lock.WaitAsync();
            try
            {
                Commit(batch);
            }
            catch (SqliteException ex)
            {
                failure = new StoreException($"span buffer '{_path}': {batch.Sum(a => a.Spans.Sum(s => s.SpanCount))} spans could not be stored. {ex.Message}", ex);
            }
            finally
            {
                _lock.Release();
            }

            foreach (var append in batch)
            {
                if (failure is null)
                {
                    append.Done.TrySetResult();
                }
                else
                {
                    append.Done.TrySetException(failure);
                }
            }
        }
    }

    private void Commit(List<Append> batch)
    {
        using var transaction = _connection.BeginTransaction();
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO spans (workspace_id, trace_id, has_root, span_count, payload) VALUES ($w, $t, $r, $c, $p)";
        var workspace = command.Parameters.Add("$w", SqliteType.Text);
        var trace = command.Parameters.Add("$t", SqliteType.Text);
        var root = command.Parameters.Add("$r", SqliteType.Integer);
        var count = command.Parameters.Add("$c", SqliteType.Integer);
        var payload = command.Parameters.Add("$p", SqliteType.Blob);
        command.Prepare();
        foreach (var append in batch)
        {
            foreach (var span in append.Spans)
            {
                workspace.Value = span.WorkspaceId;
                trace.Value = span.TraceId;
                root.Value = span.HasRoot ? 1 : 0;
                count.Value = span.SpanCount;
                payload.Value = span.Payload;
                command.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed record Append(IReadOnlyList<BufferedSpans> Spans, TaskCompletionSource Done);
}
