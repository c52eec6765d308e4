using System.Data;
using Npgsql;
using NpgsqlTypes;

namespace Keel.Storage.Postgres.Otlp;

/// <summary>The PostgreSQL <see cref="ISpanBuffer"/>: table <c>otlp_spans</c> in the store's database, so every instance on the database
/// sees the spans of a trace whichever instance received them, and a trace left by a stopped instance is built by the next one that
/// starts. An append is one transaction (all spans of an export or none), acknowledged only after its commit.</summary>
/// <remarks>Thread-safe; connections come from the store's pool. With several instances, the spans of one trace may reach two of them:
/// the first to build it reads every buffered span of the trace and removes them, the other then finds the run stored and drops what
/// reaches it later (docs/otlp-ingest.md).</remarks>
public sealed class PostgresSpanBuffer : ISpanBuffer, IAsyncDisposable
{
    private readonly PostgresDatabase _database;
    private readonly bool _ownsDatabase;

    /// <summary>Creates the buffer with a pool of its own; the database is reached (and migrated) on first use.</summary>
    /// <param name="options">The connection string (the same settings as the run store).</param>
    /// <param name="timeProvider">The clock for migration records; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The connection string is invalid.</exception>
    public PostgresSpanBuffer(PostgresStoreOptions options, TimeProvider? timeProvider = null)
        : this(new PostgresDatabase(options ?? throw new ArgumentNullException(nameof(options)), timeProvider ?? TimeProvider.System), ownsDatabase: true)
    {
    }

    internal PostgresSpanBuffer(PostgresDatabase database, bool ownsDatabase)
    {
        _database = database;
        _ownsDatabase = ownsDatabase;
    }

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<BufferedSpans> spans, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0)
        {
            return Task.CompletedTask;
        }

        return _database.InTransactionAsync(IsolationLevel.ReadCommitted, async (connection, transaction) =>
        {
            // One statement for the whole export: the columns as arrays, unnested into rows in order.
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO otlp_spans (workspace_id, trace_id, has_root, span_count, payload)
                SELECT w, t, r, c, p FROM unnest(@w, @t, @r, @c, @p) WITH ORDINALITY AS s(w, t, r, c, p, o) ORDER BY o
                """,
                connection,
                transaction);
            command.Parameters.Add(new NpgsqlParameter<string[]>("w", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. spans.Select(s => s.WorkspaceId)] });
            command.Parameters.Add(new NpgsqlParameter<string[]>("t", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. spans.Select(s => s.TraceId)] });
            command.Parameters.Add(new NpgsqlParameter<bool[]>("r", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { TypedValue = [.. spans.Select(s => s.HasRoot)] });
            command.Parameters.Add(new NpgsqlParameter<int[]>("c", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. spans.Select(s => s.SpanCount)] });
            command.Parameters.Add(new NpgsqlParameter<byte[][]>("p", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = [.. spans.Select(s => s.Payload)] });
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, $"{spans.Sum(s => s.SpanCount)} spans could not be stored in the span buffer", cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BufferedTrace>> ReadTracesAsync(IReadOnlyList<TraceKey> traces, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(traces);
        if (traces.Count == 0)
        {
            return [];
        }

        return await _database.InTransactionAsync(IsolationLevel.RepeatableRead, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT k.o, s.seq, s.payload
                FROM unnest(@w, @t) WITH ORDINALITY AS k(w, t, o)
                JOIN otlp_spans s ON s.workspace_id = k.w AND s.trace_id = k.t
                ORDER BY k.o, s.seq
                """,
                connection,
                transaction);
            command.Parameters.Add(new NpgsqlParameter<string[]>("w", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. traces.Select(k => k.WorkspaceId)] });
            command.Parameters.Add(new NpgsqlParameter<string[]>("t", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. traces.Select(k => k.TraceId)] });
            var payloads = traces.Select(_ => new List<byte[]>()).ToArray();
            var last = new long[traces.Count];
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var index = (int)reader.GetInt64(0) - 1;
                last[index] = reader.GetInt64(1);
                payloads[index].Add(reader.GetFieldValue<byte[]>(2));
            }

            return (IReadOnlyList<BufferedTrace>)[.. payloads.Select((spans, i) => new BufferedTrace(spans, last[i]))];
        }, $"{traces.Count} trace(s) (first {traces[0].TraceId}) could not be read from the span buffer", cancellationToken);
    }

    /// <inheritdoc />
    public Task RemoveTracesAsync(IReadOnlyList<BuiltTrace> traces, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(traces);
        if (traces.Count == 0)
        {
            return Task.CompletedTask;
        }

        return _database.InTransactionAsync(IsolationLevel.ReadCommitted, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand(
                """
                DELETE FROM otlp_spans s
                USING unnest(@w, @t, @s) AS d(w, t, upto)
                WHERE s.workspace_id = d.w AND s.trace_id = d.t AND s.seq <= d.upto
                """,
                connection,
                transaction);
            command.Parameters.Add(new NpgsqlParameter<string[]>("w", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. traces.Select(t => t.WorkspaceId)] });
            command.Parameters.Add(new NpgsqlParameter<string[]>("t", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. traces.Select(t => t.TraceId)] });
            command.Parameters.Add(new NpgsqlParameter<long[]>("s", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. traces.Select(t => t.UpToSequence)] });
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, $"{traces.Count} built trace(s) (first {traces[0].TraceId}) could not be removed from the span buffer", cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PendingTrace>> ListPendingAsync(CancellationToken cancellationToken = default) =>
        _database.InTransactionAsync(IsolationLevel.ReadCommitted, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand(
                "SELECT workspace_id, trace_id, sum(span_count), bool_or(has_root) FROM otlp_spans GROUP BY workspace_id, trace_id",
                connection,
                transaction);
            var pending = new List<PendingTrace>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                pending.Add(new PendingTrace(reader.GetString(0), reader.GetString(1), (int)reader.GetInt64(2), reader.GetBoolean(3)));
            }

            return (IReadOnlyList<PendingTrace>)pending;
        }, "the span buffer's pending traces could not be listed", cancellationToken);

    /// <summary>Closes the buffer's pool (when it owns it).</summary>
    /// <returns>A task that completes when the pool is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDatabase)
        {
            await _database.DisposeAsync();
        }
    }
}
