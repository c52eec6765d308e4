namespace Keel.Model;

/// <summary>A classified failure of a run.</summary>
/// <param name="Class">The taxonomy class.</param>
/// <param name="Disposition">What Keel does about it.</param>
/// <param name="Message">A sentence a person can read.</param>
/// <param name="EventSequence">The sequence number of the event the failure is about, or <see langword="null"/> for a run-level failure.</param>
/// <param name="ToolName">The tool involved, if any.</param>
/// <param name="RuleId">The rule involved, if any.</param>
/// <param name="RetryCount">How many retries were made (0 in audit mode, which never retries).</param>
/// <param name="HandoffTarget">Team the run goes to when <paramref name="Disposition"/> is <see cref="Disposition.Escalate"/>.</param>
/// <param name="ImpliesNarrowerPermissions">Whether the failure suggests the agent's permissions should be narrowed (permission, injection).</param>
public sealed record Failure(
    FailureClass Class,
    Disposition Disposition,
    string Message,
    long? EventSequence = null,
    string? ToolName = null,
    string? RuleId = null,
    int RetryCount = 0,
    string? HandoffTarget = null,
    bool ImpliesNarrowerPermissions = false);
