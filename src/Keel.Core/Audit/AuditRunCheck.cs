namespace Keel.Audit;

/// <summary>Checks one run's events: rebuilds the chain by its links from the run's genesis hash, re-hashes each event at the
/// position it was chained at, and compares the run with the ledger's record of it.</summary>
internal static class AuditRunCheck
{
    /// <summary>Checks the events of one run.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run.</param>
    /// <param name="events">Its events, any order; sorted here by sequence.</param>
    /// <param name="rows">Its ledger rows in ledger order, or <see langword="null"/> when the ledger has none.</param>
    /// <param name="problems">Receives the problems.</param>
    /// <param name="withLedger">Whether to compare the run with its ledger rows; <see langword="false"/> checks the run's own hash
    /// chain only (<see cref="AuditVerifier.VerifyRunChain"/>).</param>
    public static void Check(string workspaceId, string runId, List<AuditEventRecord> events, List<AuditLedgerRecord>? rows, List<AuditProblem> problems, bool withLedger = true)
    {
        events.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        var report = new Reporter(workspaceId, runId, problems);
        var chained = events.Where(e => e.Hash is not null && e.PreviousHash is not null).ToList();
        if (chained.Count < events.Count)
        {
            var missing = events.Where(e => e.Hash is null || e.PreviousHash is null).Select(e => e.Sequence).ToList();
            missing.ForEach(report.Mark);
            report.Add(missing[0], AuditProblemKind.Unchained,
                $"{missing.Count} event(s) have no hash (event {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", …" : string.Empty)}): written outside the store, or their hashes were erased.");
        }

        var position = Walk(workspaceId, runId, chained);
        var present = events.Select(e => e.Sequence).ToHashSet();
        var hashes = chained.Select(e => e.Hash!).ToHashSet(StringComparer.Ordinal);
        var orphanHashes = chained.Where((_, i) => position[i] == 0).Select(e => e.Hash!).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < chained.Count; i++)
        {
            var e = chained[i];
            var chainedAt = position[i] > 0 ? position[i] : e.Sequence;
            var rehashed = AuditHash.Event(e.PreviousHash!, workspaceId, runId, chainedAt, e.Kind, e.Timestamp, e.PayloadJson);
            var intact = string.Equals(rehashed, e.Hash, StringComparison.Ordinal);
            if (!intact)
            {
                report.Flag(e.Sequence, AuditProblemKind.Changed, "its content (kind, time or JSON) or its previous hash no longer matches its hash.");
            }

            if (position[i] > 0 && e.Sequence != position[i])
            {
                report.Flag(e.Sequence, AuditProblemKind.Reordered, $"it is stored as event {e.Sequence} but was chained as event {position[i]}: events were swapped or renumbered.");
            }

            if (position[i] == 0 && !orphanHashes.Contains(e.PreviousHash!) && intact && present.Contains(e.Sequence - 1))
            {
                // The first event of a piece cut off from the chain, with nothing removed before it and its own hash intact.
                if (hashes.Contains(e.PreviousHash!))
                {
                    report.Flag(e.Sequence, AuditProblemKind.Unrecorded, "it is chained after an event that another event already follows: a second record was inserted.");
                }
                else if (!report.IsFlagged(e.Sequence - 1))
                {
                    report.Flag(e.Sequence - 1, AuditProblemKind.Changed, $"it was changed and re-hashed: event {e.Sequence} was chained to a different record before it.");
                }
            }
        }

        if (withLedger)
        {
            CheckAgainstLedger(events, present, rows, report);
        }
    }

    /// <summary>Follows the links from the run's genesis hash; returns each event's 1-based position in the chain, 0 when the
    /// chain never reaches it.</summary>
    private static int[] Walk(string workspaceId, string runId, List<AuditEventRecord> chained)
    {
        var byPrevious = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < chained.Count; i++)
        {
            if (!byPrevious.TryGetValue(chained[i].PreviousHash!, out var list))
            {
                byPrevious[chained[i].PreviousHash!] = list = [];
            }

            list.Add(i);
        }

        var position = new int[chained.Count];
        var current = AuditHash.RunGenesis(workspaceId, runId);
        for (var p = 1; byPrevious.TryGetValue(current, out var next); p++)
        {
            // Of several events chained after the same one, follow the one stored at the expected place.
            var pick = next.Where(i => position[i] == 0).OrderBy(i => chained[i].Sequence == p ? 0 : 1).DefaultIfEmpty(-1).First();
            if (pick < 0)
            {
                break;
            }

            position[pick] = p;
            current = chained[pick].Hash!;
        }

        return position;
    }

    private static void CheckAgainstLedger(List<AuditEventRecord> events, HashSet<long> present, List<AuditLedgerRecord>? rows, Reporter report)
    {
        var maxSequence = events.Count == 0 ? 0 : events[^1].Sequence;
        var last = rows?.LastOrDefault(); // the run's newest commit: how many events it left
        var recorded = last?.LastEventSequence ?? 0;
        for (var s = 1L; s <= Math.Max(maxSequence, recorded); s++)
        {
            if (present.Contains(s))
            {
                continue;
            }

            var to = s;
            while (to + 1 <= Math.Max(maxSequence, recorded) && !present.Contains(to + 1))
            {
                to++;
            }

            var what = AuditLedgerCheck.Range(s, to, "event", "events");
            report.Add(s, AuditProblemKind.Removed, to > maxSequence
                ? $"{what} {(s == to ? "was" : "were")} removed from the end of the run: ledger row {last!.Sequence} recorded {recorded} events."
                : $"{what} {(s == to ? "is" : "are")} missing from the middle of the run.", to > maxSequence ? last!.Sequence : null);
            s = to;
        }

        if (last is null)
        {
            report.Add(null, AuditProblemKind.Unrecorded, $"the run has {events.Count} stored event(s) but the ledger has no record of it: it was written outside the store.");
            return;
        }

        if (maxSequence > recorded)
        {
            report.Add(recorded + 1, AuditProblemKind.Unrecorded,
                $"{AuditLedgerCheck.Range(recorded + 1, maxSequence, "event", "events")} {(maxSequence == recorded + 1 ? "is" : "are")} not in the ledger (row {last.Sequence} recorded {recorded}): written outside the store.",
                last.Sequence);
        }

        // Every commit since the run was last saved whole left a head: the event it ended at must still have that hash.
        var restart = rows!.FindLastIndex(r => r.FirstEventSequence == 1);
        foreach (var row in rows.Skip(Math.Max(0, restart)))
        {
            var at = events.Find(e => e.Sequence == row.LastEventSequence);
            var actual = row.LastEventSequence == 0 ? AuditHash.RunGenesis(report.WorkspaceId, report.RunId) : at?.Hash;
            if (actual is not null && !report.IsFlagged(row.LastEventSequence) && !string.Equals(actual, row.RunHeadHash, StringComparison.Ordinal))
            {
                report.Add(row.LastEventSequence, AuditProblemKind.LedgerMismatch,
                    $"ledger row {row.Sequence} recorded the run ending in {AuditVerifier.Short(row.RunHeadHash)} at event {row.LastEventSequence}, but the stored event's hash is {AuditVerifier.Short(actual)}: the run was changed or replaced outside the store.",
                    row.Sequence);
            }
        }
    }

    /// <summary>Adds problems of one run and remembers which events are already explained.</summary>
    private sealed class Reporter(string workspaceId, string runId, List<AuditProblem> problems)
    {
        private readonly HashSet<long> _flagged = [];

        public string WorkspaceId => workspaceId;

        public string RunId => runId;

        public bool IsFlagged(long sequence) => _flagged.Contains(sequence);

        /// <summary>Marks an event as explained by a problem already reported, so no follow-on problem is reported for it.</summary>
        public void Mark(long sequence) => _flagged.Add(sequence);

        public void Flag(long sequence, AuditProblemKind kind, string message)
        {
            _flagged.Add(sequence);
            Add(sequence, kind, message);
        }

        public void Add(long? sequence, AuditProblemKind kind, string message, long? ledgerSequence = null) =>
            problems.Add(new AuditProblem(workspaceId, runId, sequence, kind, message, ledgerSequence));
    }
}
