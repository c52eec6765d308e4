using Keel.Audit;

namespace Keel.Core.Tests.Audit;

/// <summary>Builds a correctly chained audit log the way a store does (saves and appends, one ledger row each), for tests to tamper with.</summary>
internal sealed class AuditLogFixture
{
    public static readonly DateTimeOffset Start = new(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(2));

    private readonly Dictionary<string, (long Sequence, string Hash)> _ledgerHeads = new(StringComparer.Ordinal);

    public List<AuditEventRecord> Events { get; } = [];

    public List<AuditLedgerRecord> Ledger { get; } = [];

    /// <summary>Stores a run whole (replacing its events), <paramref name="events"/> message events.</summary>
    public AuditLogFixture Save(string workspace, string run, int events)
    {
        Events.RemoveAll(e => e.WorkspaceId == workspace && e.RunId == run);
        var head = Chain(workspace, run, 1, events, AuditHash.RunGenesis(workspace, run));
        AddLedgerRow(workspace, run, AuditCommit.Save, 1, events, head);
        return this;
    }

    /// <summary>Appends <paramref name="events"/> events to a stored run.</summary>
    public AuditLogFixture Append(string workspace, string run, int events)
    {
        var stored = Events.Where(e => e.WorkspaceId == workspace && e.RunId == run).OrderBy(e => e.Sequence).ToList();
        var last = stored.Count == 0 ? 0 : stored[^1].Sequence;
        var head = Chain(workspace, run, last + 1, events, stored.Count == 0 ? AuditHash.RunGenesis(workspace, run) : stored[^1].Hash!);
        AddLedgerRow(workspace, run, AuditCommit.Append, last + 1, last + events, head);
        return this;
    }

    public int IndexOf(string run, long sequence) => Events.FindIndex(e => e.RunId == run && e.Sequence == sequence);

    public AuditEventRecord At(string run, long sequence) => Events[IndexOf(run, sequence)];

    public void Replace(string run, long sequence, Func<AuditEventRecord, AuditEventRecord> change) =>
        Events[IndexOf(run, sequence)] = change(At(run, sequence));

    public static string Payload(long sequence, string content) =>
        $$"""{"kind":"message","sequence":{{sequence}},"timestamp":"2024-05-01T10:00:00+02:00","role":"user","content":"{{content}}"}""";

    public AuditReport Verify() => AuditVerifier.Verify(
        Ledger, Events.OrderBy(e => e.WorkspaceId, StringComparer.Ordinal).ThenBy(e => e.RunId, StringComparer.Ordinal).ThenBy(e => e.Sequence));

    private string Chain(string workspace, string run, long first, int count, string previous)
    {
        for (var s = first; s < first + count; s++)
        {
            var timestamp = Start.AddSeconds(s);
            var payload = Payload(s, $"message {s} of {run}");
            var hash = AuditHash.Event(previous, workspace, run, s, "message", timestamp, payload);
            Events.Add(new AuditEventRecord(workspace, run, s, "message", timestamp, payload, previous, hash));
            previous = hash;
        }

        return previous;
    }

    private void AddLedgerRow(string workspace, string run, AuditCommit commit, long first, long last, string runHead)
    {
        var (sequence, previous) = _ledgerHeads.GetValueOrDefault(workspace, (0, AuditHash.LedgerGenesis(workspace)));
        var row = new AuditLedgerRecord(workspace, sequence + 1, run, commit, first, last, runHead, Start.AddMinutes(sequence), previous, string.Empty);
        row = row with { Hash = AuditHash.Ledger(previous, row) };
        Ledger.Add(row);
        _ledgerHeads[workspace] = (row.Sequence, row.Hash);
    }
}
