namespace Keel.Audit;

/// <summary>Checks an audit log: every event against its hash and its run's chain, every ledger row against its hash and the
/// workspace's ledger chain, and every run against the ledger's record of it. Reports every problem found; never throws on
/// bad records. Pure code: the records come from any store (<c>SqliteAuditReader</c>, <see cref="IAuditLog"/>).</summary>
/// <remarks>
/// What it detects: an event whose kind, time, JSON, sequence or hashes were changed; an event removed from the middle of a
/// run, or from its end (the ledger recorded how many events each commit left); events swapped or renumbered; a whole run
/// removed; events or runs written outside the store; a ledger row changed or removed. What no hash chain without a key can
/// detect: the newest records removed together with their ledger rows, or the whole log rewritten and re-hashed — unless
/// the workspace head hash (<see cref="AuditWorkspaceHead.HeadHash"/>) was written down elsewhere and is compared (docs/audit.md).
/// Memory: the ledger is held whole; events are held one run at a time. Thread-safe (no shared state).
/// </remarks>
public static class AuditVerifier
{
    /// <summary>Verifies one run's own hash chain — every event re-hashed at its position and linked to the one before, from the
    /// run's genesis hash — without the workspace ledger (which <see cref="Verify"/> and <c>keel audit verify</c> also compare):
    /// cheap enough for a page that shows one run. A changed, reordered or inserted event is found; events cut from the end of the
    /// run are found only against the ledger.</summary>
    /// <param name="workspaceId">The run's workspace.</param>
    /// <param name="runId">The run.</param>
    /// <param name="events">The run's stored event records, any order.</param>
    /// <returns>The problems found; empty when the chain is intact.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IReadOnlyList<AuditProblem> VerifyRunChain(string workspaceId, string runId, IEnumerable<AuditEventRecord> events)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(events);
        var problems = new List<AuditProblem>();
        AuditRunCheck.Check(workspaceId, runId, [.. events], rows: null, problems, withLedger: false);
        return problems;
    }

    /// <summary>Verifies ledger rows and event records.</summary>
    /// <param name="ledger">Every ledger row to check, in any order.</param>
    /// <param name="events">Every event record to check; the events of one run must come together (for example ordered by
    /// workspace, run and sequence, the stores' key order), in any order within the run.</param>
    /// <returns>What was checked and every problem found.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The events of one run do not come together.</exception>
    public static AuditReport Verify(IEnumerable<AuditLedgerRecord> ledger, IEnumerable<AuditEventRecord> events)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(events);
        var problems = new List<AuditProblem>();
        var workspaces = new SortedDictionary<string, Workspace>(StringComparer.Ordinal);
        long ledgerRows = 0;
        foreach (var row in ledger)
        {
            ledgerRows++;
            Get(workspaces, row.WorkspaceId).Rows.Add(row);
        }

        foreach (var (id, workspace) in workspaces)
        {
            workspace.Head = AuditLedgerCheck.Check(id, workspace.Rows, workspace.RunRows, problems);
        }

        var seen = new HashSet<(string Workspace, string Run)>();
        var group = new List<AuditEventRecord>();
        long eventCount = 0;
        foreach (var record in events)
        {
            eventCount++;
            if (group.Count > 0 && (!string.Equals(record.WorkspaceId, group[0].WorkspaceId, StringComparison.Ordinal)
                || !string.Equals(record.RunId, group[0].RunId, StringComparison.Ordinal)))
            {
                Flush();
            }

            group.Add(record);
        }

        Flush();

        foreach (var (id, workspace) in workspaces)
        {
            foreach (var (runId, rows) in workspace.RunRows)
            {
                if (seen.Contains((id, runId)))
                {
                    continue;
                }

                workspace.Runs++;
                if (rows[^1] is { LastEventSequence: > 0 } last)
                {
                    problems.Add(new AuditProblem(id, runId, null, AuditProblemKind.Removed,
                        $"the run is missing: ledger row {last.Sequence} recorded {last.LastEventSequence} events ending in {Short(last.RunHeadHash)}, and none is stored.",
                        last.Sequence));
                }
            }
        }

        var heads = workspaces.Select(w => new AuditWorkspaceHead(
            w.Key, w.Value.Head?.Sequence ?? 0, w.Value.Head?.Hash ?? AuditHash.LedgerGenesis(w.Key), w.Value.Runs, w.Value.Events)).ToList();
        var ordered = problems
            .OrderBy(p => p.WorkspaceId, StringComparer.Ordinal)
            .ThenBy(p => p.RunId ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(p => p.Sequence ?? 0)
            .ThenBy(p => p.LedgerSequence ?? 0)
            .ToList();
        return new AuditReport(eventCount, ledgerRows, heads.Sum(h => h.Runs), heads, ordered);

        void Flush()
        {
            if (group.Count == 0)
            {
                return;
            }

            var (workspaceId, runId) = (group[0].WorkspaceId, group[0].RunId);
            if (!seen.Add((workspaceId, runId)))
            {
                throw new ArgumentException(
                    $"The events of run '{runId}' of workspace '{workspaceId}' do not come together; order the events by workspace, run and sequence.", nameof(events));
            }

            var workspace = Get(workspaces, workspaceId);
            workspace.Runs++;
            workspace.Events += group.Count;
            AuditRunCheck.Check(workspaceId, runId, group, workspace.RunRows.GetValueOrDefault(runId), problems);
            group.Clear();
        }
    }

    /// <summary>The first 15 characters of a hash (<c>sha256:</c> and 8 hex digits), for messages.</summary>
    internal static string Short(string? hash) => hash is null ? "(none)" : hash.Length > 15 ? hash[..15] + "…" : hash;

    private static Workspace Get(SortedDictionary<string, Workspace> workspaces, string id)
    {
        if (!workspaces.TryGetValue(id, out var workspace))
        {
            workspaces[id] = workspace = new Workspace();
        }

        return workspace;
    }

    private sealed class Workspace
    {
        public List<AuditLedgerRecord> Rows { get; } = [];

        public Dictionary<string, List<AuditLedgerRecord>> RunRows { get; } = new(StringComparer.Ordinal);

        public AuditLedgerRecord? Head { get; set; }

        public int Runs { get; set; }

        public long Events { get; set; }
    }
}
