namespace Keel.Audit;

/// <summary>One thing <see cref="AuditVerifier"/> found wrong.</summary>
/// <param name="WorkspaceId">The workspace.</param>
/// <param name="RunId">The run, when the problem is in one.</param>
/// <param name="Sequence">The event's sequence number, when the problem is at one event.</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Message">What is wrong, for a person: which record, what it should be, what it means.</param>
/// <param name="LedgerSequence">The ledger row, when the problem involves one.</param>
public sealed record AuditProblem(string WorkspaceId, string? RunId, long? Sequence, AuditProblemKind Kind, string Message, long? LedgerSequence = null)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Kind}: workspace '{WorkspaceId}'{(RunId is null ? string.Empty : $", run '{RunId}'")}{(Sequence is { } s ? $", event {s}" : string.Empty)}"
        + $"{(LedgerSequence is { } l ? $", ledger row {l}" : string.Empty)}: {Message}";
}

/// <summary>Kinds of <see cref="AuditProblem"/>.</summary>
public enum AuditProblemKind
{
    /// <summary>A record's content no longer matches its hash, or was re-hashed so the next record no longer links to it.</summary>
    Changed,

    /// <summary>A record the chain or the ledger says existed is gone: an event in the middle or at the end, or a whole run.</summary>
    Removed,

    /// <summary>Events are stored under other sequence numbers than they were chained under.</summary>
    Reordered,

    /// <summary>Events or a run that the ledger has no record of: written outside the store.</summary>
    Unrecorded,

    /// <summary>A ledger row was changed or removed, or the stored run does not end where the ledger says it does.</summary>
    LedgerMismatch,

    /// <summary>Events without hashes.</summary>
    Unchained,
}
