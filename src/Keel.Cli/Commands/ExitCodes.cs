namespace Keel.Cli.Commands;

/// <summary>Exit codes of the keel command.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The input is at fault (policy errors, a file that cannot be read); the message says what to fix.</summary>
    public const int BadInput = 2;

    /// <summary>Storage failed.</summary>
    public const int StoreFailed = 3;

    /// <summary><c>keel audit verify</c> found the audit log tampered with: a record changed, removed, reordered or written outside
    /// the store, or a ledger row that does not match (docs/audit.md).</summary>
    public const int Tampered = 4;

    /// <summary>The server stopped some runs of a live replay (<c>keel replay-live</c>); the summary says which and why.</summary>
    public const int RunsStopped = 5;

    /// <summary>What the command names does not exist: <c>keel key create</c> in an unknown workspace, <c>keel key revoke</c> of an
    /// unknown key, <c>keel key list --workspace</c> of an unknown workspace, <c>keel version</c> of an unknown version.</summary>
    public const int NotFound = 6;

    /// <summary>The change conflicts with what the store holds: <c>keel workspace create</c> with an id that exists, <c>keel key
    /// revoke</c> of a key already revoked, a <c>keel version</c> action the version's state does not allow. Nothing was changed.</summary>
    public const int Conflict = 7;

    /// <summary><c>keel serve</c> could not listen on its address (in use, or not this machine's); nothing was written to the store.</summary>
    public const int ListenFailed = 8;

    /// <summary><c>keel eval --baseline</c>: the release gate found a significant regression beyond the margin (McNemar on the paired
    /// pass/fail outcomes, or the paired bootstrap interval of the score difference; docs/evals.md).</summary>
    public const int Regression = 9;

    /// <summary><c>keel drift</c>: at least one metric drifted between the baseline and the current runs (its Benjamini–Hochberg
    /// adjusted p-value below the false discovery rate; docs/drift.md).</summary>
    public const int Drifted = 10;

    /// <summary><c>keel version watch</c>: a trigger fired and its action (<c>pause_rollout</c> or <c>rollback</c>) was applied to the
    /// version registry, recorded with actor <c>trigger:&lt;id&gt;</c> (docs/versions.md, "Triggers"). A trigger that fired with only
    /// an alert (or under <c>--dry-run</c>) exits <see cref="Drifted"/>.</summary>
    public const int TriggerApplied = 11;
}
