namespace Keel.Versions;

/// <summary>What an operator (or a rollout trigger) asks of the registry.</summary>
public enum VersionActionKind
{
    /// <summary>draft → validated: the stored files were loaded and checked (<see cref="VersionValidation"/>).</summary>
    Validate,

    /// <summary>validated → released to a share of new runs; 100 % makes it the stable version and retires the one before; less
    /// starts (or widens) a staged rollout beside the stable version.</summary>
    Release,

    /// <summary>One step back: a candidate in rollout is reverted (back to validated); otherwise the stable version is retired and
    /// the one stable before it in the agent's history (<see cref="VersionLifecycle.StableChain"/>), or the one named, is released again.</summary>
    Rollback,

    /// <summary>Any state but retired → retired; a retired version is served again only through <see cref="Rollback"/>.</summary>
    Retire,
}

/// <summary>A request to change versions of one agent.</summary>
/// <param name="Kind">The action.</param>
/// <param name="Agent">The agent.</param>
/// <param name="Hash">The version named (required for validate, release and retire; for rollback the target, or
/// <see langword="null"/> for the version stable before the current one).</param>
/// <param name="Actor">Who asks: a key id, or the operating-system user for the CLI. Recorded in the version history.</param>
/// <param name="SharePercent">For a release: the share of new runs, 1–100; default 100.</param>
/// <param name="Note">Why, recorded in the history's detail; <see langword="null"/> for none.</param>
/// <param name="IfCurrent">For a rollback: the version the caller judged as the one the rollback steps back from — the candidate when a
/// rollout was in progress, else the stable version — or <see langword="null"/> for no such check. The registry checks it in the
/// transaction that applies the action and refuses (<see cref="VersionErrorKind.Conflict"/>, nothing changed) when another version holds
/// that place by then, so a rollout trigger that judged one version never rolls back another.</param>
/// <param name="RolloutOnly">For a rollback: revert a staged rollout and nothing else; refused (<see cref="VersionErrorKind.Conflict"/>,
/// nothing changed) when no rollout is in progress by the time the registry applies it — a <c>pause_rollout</c> trigger never retires a
/// stable version.</param>
public sealed record VersionAction(VersionActionKind Kind, string Agent, string? Hash, string Actor, int SharePercent = 100, string? Note = null,
    string? IfCurrent = null, bool RolloutOnly = false);

/// <summary>Why an action was refused; nothing was changed.</summary>
public enum VersionErrorKind
{
    /// <summary>The version (or agent) named is not registered in the workspace.</summary>
    NotFound,

    /// <summary>The action does not apply to the version's state (e.g. releasing a draft); the message says what would.</summary>
    Conflict,

    /// <summary>The request itself is wrong (a share outside 1–100, a version of another agent).</summary>
    BadInput,
}

/// <summary>The outcome of an action: the versions it changed and the history entry, or why nothing changed. Expected failures are
/// values, never exceptions.</summary>
/// <param name="Changed">The version records after the change (empty on error).</param>
/// <param name="Event">The history entry written; <see langword="null"/> on error.</param>
/// <param name="Error">The kind of refusal; <see langword="null"/> on success.</param>
/// <param name="Message">The refusal in words, with what to do instead; <see langword="null"/> on success.</param>
public sealed record VersionOutcome(IReadOnlyList<VersionRecord> Changed, VersionEvent? Event, VersionErrorKind? Error = null, string? Message = null)
{
    /// <summary>Whether the action was applied.</summary>
    public bool Succeeded => Error is null;

    /// <summary>A refusal.</summary>
    /// <param name="kind">Why.</param>
    /// <param name="message">The message.</param>
    /// <returns>The outcome.</returns>
    public static VersionOutcome Refused(VersionErrorKind kind, string message) => new([], null, kind, message);
}
