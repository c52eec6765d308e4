namespace Keel.Audit;

/// <summary>What <see cref="AuditVerifier.Verify"/> checked and found.</summary>
/// <param name="EventsChecked">Event records read.</param>
/// <param name="LedgerRowsChecked">Ledger rows read.</param>
/// <param name="RunsChecked">Distinct runs, in the events or in the ledger.</param>
/// <param name="Workspaces">Each workspace's ledger head, in workspace id order (ordinal).</param>
/// <param name="Problems">Everything found wrong, by workspace, then run and sequence where known; empty when the log is intact.</param>
public sealed record AuditReport(
    long EventsChecked,
    long LedgerRowsChecked,
    int RunsChecked,
    IReadOnlyList<AuditWorkspaceHead> Workspaces,
    IReadOnlyList<AuditProblem> Problems)
{
    /// <summary>Whether nothing was found wrong.</summary>
    public bool IsIntact => Problems.Count == 0;
}

/// <summary>The newest state of one workspace's ledger: write <see cref="HeadHash"/> down somewhere else (a ticket, a log
/// service, a signed note) and a later verify proves nothing before it was changed, including truncation.</summary>
/// <param name="WorkspaceId">The workspace.</param>
/// <param name="LedgerSequence">The number of its newest ledger row (0 without rows).</param>
/// <param name="HeadHash">The hash of its newest ledger row (the ledger genesis hash without rows).</param>
/// <param name="Runs">Its runs checked.</param>
/// <param name="Events">Its event records checked.</param>
public sealed record AuditWorkspaceHead(string WorkspaceId, long LedgerSequence, string HeadHash, int Runs, long Events);
