using Keel.Audit;
using Keel.Model;
using Keel.Redaction;

namespace Keel.Storage;

/// <summary>A run's events sealed for storage: redacted, serialized (<see cref="RunEventJson"/>) and hash-chained
/// (<see cref="AuditHash"/>) — the one place every backend gets the stored form of an event from (docs/audit.md). Sealing needs
/// nothing from a database, so stores do it outside their transactions (in parallel for a batch) and only bind and insert.</summary>
/// <remarks>Immutable once built; thread-safe. A run that cannot be serialized keeps its exception, thrown by
/// <see cref="ThrowIfFailed"/> when the run is written, so it fails alone inside its own savepoint.</remarks>
public sealed class SealedRun
{
    private readonly Exception? _error;

    private SealedRun(int from, string[] payloads, string[] hashes, Exception? error)
    {
        From = from;
        Payloads = payloads;
        Hashes = hashes;
        _error = error;
    }

    /// <summary>The 0-based index of the first sealed event in the run's event list.</summary>
    public int From { get; }

    /// <summary>Each sealed event's stored JSON (redacted), in order from <see cref="From"/>.</summary>
    public IReadOnlyList<string> Payloads { get; }

    /// <summary>Each sealed event's hash, chained from the head it was sealed onto, in order from <see cref="From"/>.</summary>
    public IReadOnlyList<string> Hashes { get; }

    /// <summary>The head the events were sealed onto: the run's genesis hash for a whole save, the stored head for an append.</summary>
    public string PreviousHash { get; private init; } = string.Empty;

    /// <summary>The hash of the last sealed event, or the head sealed onto when no event was sealed.</summary>
    public string Head { get; private init; } = string.Empty;

    /// <summary>Seals every event of a run from its genesis hash, for a whole save.</summary>
    /// <param name="run">The run.</param>
    /// <param name="redactor">The redactor, or <see langword="null"/> for none.</param>
    /// <returns>The sealed events, or the serialization error to throw at write time.</returns>
    public static SealedRun Seal(Run run, Redactor? redactor) => Seal(run, 0, AuditHash.RunGenesis(run.WorkspaceId, run.Id), redactor);

    /// <summary>Seals the events of a run from index <paramref name="from"/> on, chained onto <paramref name="previousHash"/>
    /// (an append onto a stored head).</summary>
    /// <param name="run">The run.</param>
    /// <param name="from">The number of events already stored.</param>
    /// <param name="previousHash">The stored head: the hash of event <paramref name="from"/> - 1, or the run's genesis hash.</param>
    /// <param name="redactor">The redactor, or <see langword="null"/> for none.</param>
    /// <returns>The sealed events, or the serialization error to throw at write time.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="from"/> is negative or past the run's events.</exception>
    public static SealedRun Seal(Run run, int from, string previousHash, Redactor? redactor)
    {
        ArgumentNullException.ThrowIfNull(run);
        var events = run.Events;
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(from, events.Count);
        var payloads = new string[events.Count - from];
        var hashes = new string[events.Count - from];
        try
        {
            var previous = previousHash;
            for (var i = from; i < events.Count; i++)
            {
                var e = events[i];
                var payload = payloads[i - from] = RunEventJson.Serialize(e, redactor);
                previous = hashes[i - from] = AuditHash.Event(previous, run.WorkspaceId, run.Id, e.Sequence, RunEventJson.KindName(e.Kind), e.Timestamp, payload);
            }

            return new SealedRun(from, payloads, hashes, null) { PreviousHash = previousHash, Head = previous };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Any failure is the run's own: kept and thrown when it is written, where it becomes the store's StoreException.
            return new SealedRun(from, [], [], ex) { PreviousHash = previousHash, Head = previousHash };
        }
    }

    /// <summary>Seals runs on every core.</summary>
    /// <param name="runs">The runs.</param>
    /// <param name="redactor">The redactor, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops sealing.</param>
    /// <returns>One sealed run per run, in order.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static SealedRun[] SealAll(IReadOnlyList<Run> runs, Redactor? redactor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var sealedRuns = new SealedRun[runs.Count];
        Parallel.For(
            0,
            runs.Count,
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => sealedRuns[i] = Seal(runs[i], redactor));
        return sealedRuns;
    }

    /// <summary>Throws the error met while sealing, if any.</summary>
    /// <exception cref="InvalidOperationException">The run could not be serialized; the inner exception says why.</exception>
    public void ThrowIfFailed()
    {
        if (_error is not null)
        {
            throw new InvalidOperationException(_error.Message, _error);
        }
    }
}
