using Keel.Audit;
using Keel.Model;
using Keel.Redaction;

namespace Keel.Storage;

/// <summary>An immutable serialized copy of a run as <see cref="InMemoryRunStore"/> holds it: events as redacted JSON with
/// their chain hashes, failures and handoff packet as redacted JSON.</summary>
internal sealed record InMemoryRunSnapshot(
    RunSummary Summary,
    string WorkspaceId,
    string Channel,
    string? WorkflowClass,
    string[] EventKinds,
    string[] EventJson,
    DateTimeOffset[] EventTimes,
    string[] PreviousHashes,
    string[] Hashes,
    string[] FailureJson,
    string? HandoffJson)
{
    /// <summary>The hash of the last event, or the run's genesis hash without events.</summary>
    public string Head => Hashes.Length == 0 ? AuditHash.RunGenesis(WorkspaceId, Summary.Id) : Hashes[^1];

    /// <summary>A snapshot of the whole run, chained from its genesis hash.</summary>
    /// <exception cref="NotSupportedException">An event is of a type the JSON shape does not know.</exception>
    public static InMemoryRunSnapshot Of(Run run, Redactor? redactor) => Extend(null, run, redactor)!;

    /// <summary>The stored snapshot plus what the run gained since: new events chained onto the stored head, new failures,
    /// status and handoff packet; <see langword="null"/> when nothing changed.</summary>
    /// <exception cref="InvalidOperationException">The stored snapshot has more events or failures than the run.</exception>
    /// <exception cref="NotSupportedException">An event is of a type the JSON shape does not know.</exception>
    public static InMemoryRunSnapshot? Extend(InMemoryRunSnapshot? stored, Run run, Redactor? redactor)
    {
        var from = stored?.EventJson.Length ?? 0;
        var fromFailure = stored?.FailureJson.Length ?? 0;
        if (from > run.Events.Count || fromFailure > run.Failures.Count)
        {
            throw new InvalidOperationException(
                $"the store holds {from} events and {fromFailure} failures of run '{run.Id}', more than the {run.Events.Count} and {run.Failures.Count} given; "
                + "an append never removes anything (use SaveRunAsync to replace the run)");
        }

        var handoff = run.Handoff is null ? null : RunEventJson.Serialize(run.Handoff, redactor);
        if (stored is not null && from == run.Events.Count && fromFailure == run.Failures.Count && stored.Summary.Status == run.Status
            && string.Equals(stored.HandoffJson, handoff, StringComparison.Ordinal))
        {
            return null;
        }

        var count = run.Events.Count;
        var kinds = Grow(stored?.EventKinds, count);
        var json = Grow(stored?.EventJson, count);
        var times = Grow(stored?.EventTimes, count);
        var previous = Grow(stored?.PreviousHashes, count);
        var hashes = Grow(stored?.Hashes, count);
        var head = stored?.Head ?? AuditHash.RunGenesis(run.WorkspaceId, run.Id);
        for (var i = from; i < count; i++)
        {
            var e = run.Events[i];
            (kinds[i], json[i], times[i], previous[i]) = (RunEventJson.KindName(e.Kind), RunEventJson.Serialize(e, redactor), e.Timestamp, head);
            head = hashes[i] = AuditHash.Event(head, run.WorkspaceId, run.Id, e.Sequence, kinds[i], e.Timestamp, json[i]);
        }

        var failures = Grow(stored?.FailureJson, run.Failures.Count);
        for (var i = fromFailure; i < failures.Length; i++)
        {
            failures[i] = RunEventJson.Serialize(run.Failures[i], redactor);
        }

        var summary = stored?.Summary ?? new RunSummary(run.Id, run.AgentName, run.AgentVersion, run.Status, run.StartedAt, 0, run.Channel, run.Version);
        return new InMemoryRunSnapshot(
            summary with
            {
                Status = run.Status, EventCount = count, CustomerSentiment = RunListingValues.CustomerSentiment(run),
                WorkflowClass = stored is null ? run.WorkflowClass : stored.WorkflowClass, CostUsd = RunListingValues.CostUsd(run),
            },
            run.WorkspaceId,
            stored?.Channel ?? run.Channel,
            stored is null ? run.WorkflowClass : stored.WorkflowClass,
            kinds,
            json,
            times,
            previous,
            hashes,
            failures,
            handoff);
    }

    /// <summary>A new run equal to the stored one.</summary>
    public Run ToRun()
    {
        var run = new Run(Summary.Id, WorkspaceId, Summary.AgentName, Summary.AgentVersion, Summary.StartedAt, Channel)
        {
            WorkflowClass = WorkflowClass,
            Version = Summary.Version,
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

    /// <summary>The audit records of the events after a sequence number, at most <paramref name="limit"/>.</summary>
    public IEnumerable<AuditEventRecord> Records(long afterSequence = 0, int limit = int.MaxValue) =>
        Enumerable.Range(0, EventJson.Length)
            .Where(i => i + 1 > afterSequence)
            .Take(limit)
            .Select(i => new AuditEventRecord(WorkspaceId, Summary.Id, i + 1, EventKinds[i], EventTimes[i], EventJson[i], PreviousHashes[i], Hashes[i]));

    private static T[] Grow<T>(T[]? stored, int length)
    {
        var grown = new T[length];
        stored?.AsSpan().CopyTo(grown);
        return grown;
    }
}
