using Keel.Model;

namespace Keel.Storage;

/// <summary>An <see cref="IRunStore"/> held in process memory, for tests, demos and short replays; nothing survives the process.</summary>
/// <remarks>
/// Each run is stored as a serialized snapshot in the shape of <see cref="RunEventJson"/>, the same shape the durable
/// stores write, so changing a <see cref="Run"/> after saving it (or changing a run returned by
/// <see cref="GetRunAsync"/>) never changes what is stored, and a run that a durable store could not serialize fails
/// here too. Thread-safe: every operation takes one lock; serialization happens outside it.
/// </remarks>
public sealed class InMemoryRunStore : IRunStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, Snapshot>> _workspaces = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task SaveRunAsync(Run run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        cancellationToken.ThrowIfCancellationRequested();
        Snapshot snapshot;
        try
        {
            snapshot = Snapshot.Of(run);
        }
        catch (Exception ex) when (ex is NotSupportedException or ArgumentException or System.Text.Json.JsonException)
        {
            throw new StoreException($"In-memory store: run '{run.Id}' could not be stored: {ex.Message}", ex);
        }

        lock (_lock)
        {
            if (!_workspaces.TryGetValue(run.WorkspaceId, out var runs))
            {
                runs = new Dictionary<string, Snapshot>(StringComparer.Ordinal);
                _workspaces.Add(run.WorkspaceId, runs);
            }

            runs[run.Id] = snapshot;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<Run?> GetRunAsync(string workspaceId, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceId);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        cancellationToken.ThrowIfCancellationRequested();
        Snapshot? snapshot = null;
        lock (_lock)
        {
            if (_workspaces.TryGetValue(workspaceId, out var runs))
            {
                runs.TryGetValue(runId, out snapshot);
            }
        }

        return Task.FromResult(snapshot?.ToRun());
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
            summaries = _workspaces.TryGetValue(workspaceId, out var runs)
                ? [.. runs.Values.Select(s => s.Summary)]
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

    /// <summary>An immutable serialized copy of a run.</summary>
    private sealed record Snapshot(
        RunSummary Summary,
        string WorkspaceId,
        string Channel,
        string? WorkflowClass,
        string[] EventKinds,
        string[] EventJson,
        string[] FailureJson,
        string? HandoffJson)
    {
        public static Snapshot Of(Run run)
        {
            var events = run.Events;
            var kinds = new string[events.Count];
            var json = new string[events.Count];
            for (var i = 0; i < events.Count; i++)
            {
                kinds[i] = RunEventJson.KindName(events[i].Kind);
                json[i] = RunEventJson.Serialize(events[i]);
            }

            var failures = run.Failures.Select(RunEventJson.Serialize).ToArray();
            var handoff = run.Handoff is null ? null : RunEventJson.Serialize(run.Handoff);
            var summary = new RunSummary(run.Id, run.AgentName, run.AgentVersion, run.Status, run.StartedAt, events.Count);
            return new Snapshot(summary, run.WorkspaceId, run.Channel, run.WorkflowClass, kinds, json, failures, handoff);
        }

        public Run ToRun()
        {
            var run = new Run(Summary.Id, WorkspaceId, Summary.AgentName, Summary.AgentVersion, Summary.StartedAt, Channel)
            {
                WorkflowClass = WorkflowClass,
                Status = Summary.Status,
                Handoff = HandoffJson is null ? null : RunEventJson.DeserializeHandoffPacket(HandoffJson),
            };
            for (var i = 0; i < EventJson.Length; i++)
            {
                run.Append(RunEventJson.Deserialize(EventKinds[i], EventJson[i]));
            }

            foreach (var failure in FailureJson)
            {
                run.AddFailure(RunEventJson.DeserializeFailure(failure));
            }

            return run;
        }
    }
}
