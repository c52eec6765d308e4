namespace Keel.Policies;

/// <summary>What one rule says about a call: pass, or fail with a reason.</summary>
/// <param name="Passed">Whether the rule has no objection.</param>
/// <param name="Reason">Why it failed; <see langword="null"/> when passed.</param>
public readonly record struct PolicyVerdict(bool Passed, string? Reason)
{
    /// <summary>No objection.</summary>
    public static PolicyVerdict Pass => new(true, null);

    /// <summary>An objection.</summary>
    /// <param name="reason">A sentence a person can read.</param>
    /// <returns>A failing verdict.</returns>
    public static PolicyVerdict Fail(string reason) => new(false, reason);
}
