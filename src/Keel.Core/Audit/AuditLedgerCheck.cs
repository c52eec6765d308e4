namespace Keel.Audit;

/// <summary>Checks one workspace's ledger: numbering, links, each row's hash, and that each run's rows continue one another.</summary>
internal static class AuditLedgerCheck
{
    /// <summary>Checks the rows and groups them by run.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="rows">Its rows, any order; sorted here by sequence.</param>
    /// <param name="runRows">Filled with each run's rows, in ledger order.</param>
    /// <param name="problems">Receives the problems.</param>
    /// <returns>The newest row, or <see langword="null"/> without rows.</returns>
    public static AuditLedgerRecord? Check(
        string workspaceId, List<AuditLedgerRecord> rows, Dictionary<string, List<AuditLedgerRecord>> runRows, List<AuditProblem> problems)
    {
        rows.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        var previousHash = AuditHash.LedgerGenesis(workspaceId);
        var expected = 1L;
        foreach (var row in rows)
        {
            var linkExplained = false;
            if (row.Sequence != expected)
            {
                linkExplained = true;
                var message = row.Sequence > expected
                    ? $"ledger {Range(expected, row.Sequence - 1, "row", "rows")} {(row.Sequence - expected == 1 ? "is" : "are")} missing: the ledger was cut."
                    : $"ledger row {row.Sequence} appears twice.";
                problems.Add(new AuditProblem(workspaceId, row.RunId, null, AuditProblemKind.LedgerMismatch, message, row.Sequence));
            }

            if (!linkExplained && !string.Equals(row.PreviousHash, previousHash, StringComparison.Ordinal))
            {
                problems.Add(new AuditProblem(workspaceId, row.RunId, null, AuditProblemKind.LedgerMismatch,
                    $"the row does not link to ledger row {row.Sequence - 1}: that row was changed and re-hashed, or this row's previous hash was changed.",
                    row.Sequence));
            }

            if (!string.Equals(AuditHash.Ledger(row.PreviousHash, row), row.Hash, StringComparison.Ordinal))
            {
                problems.Add(new AuditProblem(workspaceId, row.RunId, null, AuditProblemKind.LedgerMismatch,
                    $"the row was changed: its fields (run, events {row.FirstEventSequence}–{row.LastEventSequence}, head {AuditVerifier.Short(row.RunHeadHash)}) no longer match its hash.",
                    row.Sequence));
            }

            if (!runRows.TryGetValue(row.RunId, out var ofRun))
            {
                runRows[row.RunId] = ofRun = [];
            }

            if (row.FirstEventSequence != 1 && (ofRun.Count == 0 || row.FirstEventSequence != ofRun[^1].LastEventSequence + 1))
            {
                problems.Add(new AuditProblem(workspaceId, row.RunId, null, AuditProblemKind.LedgerMismatch,
                    $"the row appends events from {row.FirstEventSequence}, but the run's previous ledger row ended at event {(ofRun.Count == 0 ? 0 : ofRun[^1].LastEventSequence)}.",
                    row.Sequence));
            }

            ofRun.Add(row);
            previousHash = row.Hash;
            expected = row.Sequence + 1;
        }

        return rows.Count == 0 ? null : rows[^1];
    }

    /// <summary>"row 4" or "rows 4–7".</summary>
    internal static string Range(long from, long to, string one, string many) => from == to ? $"{one} {from}" : $"{many} {from}–{to}";
}
