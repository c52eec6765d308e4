using Keel.Audit;
using Keel.Model;
using Keel.Redaction;

namespace Keel.Storage.Sqlite;

/// <summary>A run's events serialized, redacted and chained from the run's genesis hash ahead of its save, outside the store's
/// gate and transaction (in parallel for a batch): that work needs nothing from the file, so the single writer only binds
/// and inserts.</summary>
/// <remarks>Immutable once built; thread-safe. A run that cannot be serialized keeps its exception, thrown when the run is
/// written, so it fails alone inside its own savepoint as before.</remarks>
internal sealed class PreparedRun
{
    private readonly Exception? _error;

    private PreparedRun(string[] payloads, string[] hashes, Exception? error)
    {
        Payloads = payloads;
        Hashes = hashes;
        _error = error;
    }

    /// <summary>Each event's stored JSON (redacted), by index.</summary>
    public string[] Payloads { get; }

    /// <summary>Each event's hash, chained from the run genesis, by index.</summary>
    public string[] Hashes { get; }

    /// <summary>Prepares every event of a run for a save.</summary>
    /// <param name="run">The run.</param>
    /// <param name="redactor">The store's redactor, or <see langword="null"/>.</param>
    /// <returns>The prepared events, or the serialization error to throw at write time.</returns>
    public static PreparedRun Prepare(Run run, Redactor? redactor)
    {
        var events = run.Events;
        var payloads = new string[events.Count];
        var hashes = new string[events.Count];
        try
        {
            var previous = AuditHash.RunGenesis(run.WorkspaceId, run.Id);
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                payloads[i] = RunEventJson.Serialize(e, redactor);
                previous = hashes[i] = AuditHash.Event(previous, run.WorkspaceId, run.Id, e.Sequence, RunEventJson.KindName(e.Kind), e.Timestamp, payloads[i]);
            }

            return new PreparedRun(payloads, hashes, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Any failure is the run's own: kept and thrown when it is written, where it becomes the store's StoreException.
            return new PreparedRun([], [], ex);
        }
    }

    /// <summary>Prepares runs on every core.</summary>
    /// <param name="runs">The runs.</param>
    /// <param name="redactor">The store's redactor, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops preparing.</param>
    /// <returns>One prepared run per run, in order.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static PreparedRun[] PrepareAll(IReadOnlyList<Run> runs, Redactor? redactor, CancellationToken cancellationToken)
    {
        var prepared = new PreparedRun[runs.Count];
        Parallel.For(
            0,
            runs.Count,
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => prepared[i] = Prepare(runs[i], redactor));
        return prepared;
    }

    /// <summary>Throws the error met while preparing, if any.</summary>
    /// <exception cref="InvalidOperationException">The run could not be serialized; the inner exception says why.</exception>
    public void ThrowIfFailed()
    {
        if (_error is not null)
        {
            throw new InvalidOperationException(_error.Message, _error);
        }
    }
}
