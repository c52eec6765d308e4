namespace Keel.Audit;

/// <summary>One row of a workspace's ledger: one store commit of one run (a save or an append), chained to the row before.</summary>
/// <param name="WorkspaceId">The workspace.</param>
/// <param name="Sequence">1-based, gap-free position in the workspace's ledger.</param>
/// <param name="RunId">The run committed.</param>
/// <param name="Commit">What the commit did.</param>
/// <param name="FirstEventSequence">The first event written by the commit; 1 for a save (the run's chain starts again), the
/// next after the stored ones for an append. Greater than <paramref name="LastEventSequence"/> when the commit wrote no event.</param>
/// <param name="LastEventSequence">The run's last event after the commit (0 for a run without events).</param>
/// <param name="RunHeadHash">The hash of the run's last event after the commit (the run's genesis hash without events).</param>
/// <param name="CommittedAt">When the store committed (the store's clock).</param>
/// <param name="PreviousHash">The hash of the previous ledger row of the workspace (<see cref="AuditHash.LedgerGenesis"/> for the first).</param>
/// <param name="Hash">This row's hash (<see cref="AuditHash.Ledger"/>).</param>
public sealed record AuditLedgerRecord(
    string WorkspaceId,
    long Sequence,
    string RunId,
    AuditCommit Commit,
    long FirstEventSequence,
    long LastEventSequence,
    string RunHeadHash,
    DateTimeOffset CommittedAt,
    string PreviousHash,
    string Hash)
{
    /// <summary>The stored name of a commit kind: <c>save</c>, <c>append</c> or <c>migration</c>; <c>unknown</c> for a value
    /// that is not defined (a reader's stand-in for a stored name it did not know, which then fails its hash check).</summary>
    /// <param name="commit">The kind.</param>
    /// <returns>The name.</returns>
    public static string CommitName(AuditCommit commit) => commit switch
    {
        AuditCommit.Save => "save",
        AuditCommit.Append => "append",
        AuditCommit.Migration => "migration",
        _ => "unknown",
    };

    /// <summary>Reads a stored commit name.</summary>
    /// <param name="name">The name, e.g. <c>append</c>.</param>
    /// <param name="commit">The kind when known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParseCommit(string name, out AuditCommit commit)
    {
        commit = name switch
        {
            "save" => AuditCommit.Save,
            "append" => AuditCommit.Append,
            "migration" => AuditCommit.Migration,
            _ => (AuditCommit)(-1),
        };
        return Enum.IsDefined(commit);
    }
}

/// <summary>What a ledger row's commit did.</summary>
public enum AuditCommit
{
    /// <summary><c>SaveRunAsync</c>: the run was written whole (replacing an earlier record of it); its chain starts at event 1.</summary>
    Save,

    /// <summary><c>AppendAsync</c>: new events were chained onto the run's stored head.</summary>
    Append,

    /// <summary>Migration 0003 chained a run stored before the audit chain existed (<c>docs/audit.md</c>).</summary>
    Migration,
}
