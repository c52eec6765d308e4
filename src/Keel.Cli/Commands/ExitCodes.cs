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
}
