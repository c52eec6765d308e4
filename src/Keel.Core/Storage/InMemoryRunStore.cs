using Keel.Audit;
using Keel.Model;
using Keel.Redaction;

namespace Keel.Storage;

/// <summary>An <see cref="IRunStore"/> held in process memory, for tests, demos and short replays; nothing survives the process.</summary>
/// <remarks>
/// Each run is stored as a serialized snapshot in the shape of <see cref="RunEventJson"/>, the same shape the durable
/// stores write, redacted and hash-chained the way they do (<see cref="IAuditLog"/>), so changing a <see cref="Run"/> after
/// saving it (or changing a run returned by <see cref="GetRunAsync"/>) never changes what is stored, and a run that a
/// durable store could not serialize fails here too. Thread-safe: every operation takes one lock; serialization and
/// hashing happen outside it.
/// </remarks>
public sealed class InMemoryRunStore : IRunStore, IAuditLog
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Workspace> _workspaces = new(StringComparer.Ordinal);
    private readonly Redactor? _redactor;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates an empty store that redacts with <see cref="Redactor.Default"/>, like the SQLite store by default.</summary>
    public InMemoryRunStore()
        : this(Redactor.Default)
    {
    }

    /// <summary>Creates an empty store.</summary>
    /// <param name="redactor">Applied to every event, failure and handoff packet before it is stored; <see langword="null"/> stores them as given.</param>
    /// <param name="timeProvider">The clock for audit ledger rows; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public InMemoryRunStore(Redactor? redactor, TimeProvider? timeProvider = null)
    {
        _redactor = redactor;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public Task SaveRunAsync(Run run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        cancellationToken.ThrowIfCancellationRequested();
        var snapshot = Serialize(run, () => InMemoryRunSnapshot.Of(run, _redactor));
        lock (_lock)
        {
            var workspace = Get(run.WorkspaceId);
            workspace.Runs[run.Id] = snapshot;
            workspace.AppendLedger(run.Id, AuditCommit.Save, 1, snapshot, _timeProvider.GetUtcNow());
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>The stored snapshot is extended outside the lock and swapped in only if no other append changed it meanwhile
    /// (otherwise the append starts again from the new one), so concurrent appends never fork the chain.</remarks>
    public Task AppendAsync(Run run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            InMemoryRunSnapshot? stored;
            lock (_lock)
            {
                stored = _workspaces.TryGetValue(run.WorkspaceId, out var found) ? found.Runs.GetValueOrDefault(run.Id) : null;
            }

            var next = Serialize(run, () => InMemoryRunSnapshot.Extend(stored, run, _redactor));
            if (next is null)
            {
                return Task.CompletedTask;
            }

            lock (_lock)
            {
                var workspace = Get(run.WorkspaceId);
                if (!ReferenceEquals(workspace.Runs.GetValueOrDefault(run.Id), stored))
                {
                    continue;
                }

                workspace.Runs[run.Id] = next;
                workspace.AppendLedger(run.Id, AuditCommit.Append, (stored?.EventJson.Length ?? 0) + 1, next, _timeProvider.GetUtcNow());
                return Task.CompletedTask;
            }
        }
    }

    /// <inheritdoc />
    public Task<Run?> GetRunAsync(string workspaceId, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceId);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Find(workspaceId, runId)?.ToRun());
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is outside 1–10,000.</exception>
    public Task<IReadOnlyList<RunSummary>> ListRunsAsync(string workspaceId, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 10_000);
        cancellationToken.ThrowIfCancellationRequested();
        RunSummary[] summaries;
        lock (_lock)
        {
            summaries = _workspaces.TryGetValue(workspaceId, out var workspace)
                ? [.. workspace.Runs.Values.Select(s => s.Summary)]
                : [];
        }

        // Same order as the SQL stores: newest start first (by instant), then run id ascending (ordinal).
        Array.Sort(summaries, static (a, b) =>
        {
            var byStart = b.StartedAt.UtcTicks.CompareTo(a.StartedAt.UtcTicks);
            return byStart != 0 ? byStart : string.CompareOrdinal(a.Id, b.Id);
        });
        IReadOnlyList<RunSummary> result = summaries.Length <= limit ? summaries : summaries[..limit];
        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEventRecord>> GetEventRecordsAsync(
        string workspaceId, string runId, long afterSequence = 0, int limit = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceId);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 10_000);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<AuditEventRecord> records = Find(workspaceId, runId)?.Records(afterSequence, limit).ToList() ?? [];
        return Task.FromResult(records);
    }

    /// <inheritdoc />
    public Task<AuditReport> VerifyAsync(string? workspaceId = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<(string Id, AuditLedgerRecord[] Ledger, InMemoryRunSnapshot[] Runs)> copies;
        lock (_lock)
        {
            copies = [.. _workspaces.Where(w => workspaceId is null || w.Key == workspaceId)
                .Select(w => (w.Key, w.Value.Ledger.ToArray(), w.Value.Runs.Values.ToArray()))];
        }

        var ordered = copies.OrderBy(w => w.Id, StringComparer.Ordinal).ToList();
        return Task.FromResult(AuditVerifier.Verify(
            ordered.SelectMany(w => w.Ledger),
            ordered.SelectMany(w => w.Runs.OrderBy(r => r.Summary.Id, StringComparer.Ordinal).SelectMany(r => r.Records()))));
    }

    private static T Serialize<T>(Run run, Func<T> serialize)
    {
        try
        {
            return serialize();
        }
        catch (Exception ex) when (ex is NotSupportedException or ArgumentException or InvalidOperationException or System.Text.Json.JsonException)
        {
            throw new StoreException($"In-memory store: run '{run.Id}' could not be stored: {ex.Message}", ex);
        }
    }

    private InMemoryRunSnapshot? Find(string workspaceId, string runId)
    {
        lock (_lock)
        {
            return _workspaces.TryGetValue(workspaceId, out var workspace) ? workspace.Runs.GetValueOrDefault(runId) : null;
        }
    }

    private Workspace Get(string workspaceId)
    {
        if (!_workspaces.TryGetValue(workspaceId, out var workspace))
        {
            _workspaces.Add(workspaceId, workspace = new Workspace(workspaceId));
        }

        return workspace;
    }

    /// <summary>One workspace's runs and audit ledger; guarded by the store's lock.</summary>
    private sealed class Workspace(string id)
    {
        public Dictionary<string, InMemoryRunSnapshot> Runs { get; } = new(StringComparer.Ordinal);

        public List<AuditLedgerRecord> Ledger { get; } = [];

        public void AppendLedger(string runId, AuditCommit commit, long first, InMemoryRunSnapshot snapshot, DateTimeOffset now)
        {
            var previous = Ledger.Count == 0 ? AuditHash.LedgerGenesis(id) : Ledger[^1].Hash;
            var row = new AuditLedgerRecord(id, Ledger.Count + 1, runId, commit, first, snapshot.EventJson.Length, snapshot.Head, now, previous, string.Empty);
            Ledger.Add(row with { Hash = AuditHash.Ledger(previous, row) });
        }
    }
}
