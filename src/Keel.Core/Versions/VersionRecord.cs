using Keel.Model;

namespace Keel.Versions;

/// <summary>A registered agent version as the registry holds it. The content (<see cref="Hash"/>) never changes; the state, the
/// share of new runs and the release time change only through <see cref="VersionLifecycle"/>.</summary>
/// <param name="Agent">The agent's name (<c>name:</c> in <c>agent.yaml</c>), e.g. <c>tau-airline</c>.</param>
/// <param name="Hash">The content hash (<see cref="BundleContent.Hash"/>), <c>sha256:</c> and 64 hex digits.</param>
/// <param name="Label">The bundle's own version text (<c>version:</c> in <c>agent.yaml</c>), e.g. <c>1.0.0</c>; informative only.</param>
/// <param name="Model">The model (<c>model:</c>), e.g. <c>gpt-4o</c>.</param>
/// <param name="State">The lifecycle state.</param>
/// <param name="SharePercent">The share of the agent's new runs this version serves while released, 1–100 (100: the agent's
/// stable version; less: a candidate in a staged rollout); <see langword="null"/> unless <see cref="AgentVersionState.Released"/>.</param>
/// <param name="CreatedAt">When it was registered (UTC, the store's clock).</param>
/// <param name="CreatedBy">Who registered it (a key id, or the operating-system user for the CLI).</param>
/// <param name="Note">The note given at registration; <see langword="null"/> for none.</param>
/// <param name="ReleasedAt">When it was last released (any share), or <see langword="null"/> if never.</param>
public sealed record VersionRecord(
    string Agent,
    string Hash,
    string Label,
    string Model,
    AgentVersionState State,
    int? SharePercent,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    string? Note,
    DateTimeOffset? ReleasedAt)
{
    /// <summary>Whether this is the agent's stable version: released to all new runs not assigned to a candidate.</summary>
    public bool IsStable => State == AgentVersionState.Released && SharePercent == 100;

    /// <summary>Whether this is a candidate in a staged rollout: released to <see cref="SharePercent"/> % of new runs.</summary>
    public bool IsCandidate => State == AgentVersionState.Released && SharePercent < 100;

    /// <summary>The stored name of a state: <c>draft</c>, <c>validated</c>, <c>released</c> or <c>retired</c>.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The name.</returns>
    public static string StateName(AgentVersionState state) => state switch
    {
        AgentVersionState.Draft => "draft",
        AgentVersionState.Validated => "validated",
        AgentVersionState.Released => "released",
        AgentVersionState.Retired => "retired",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a version state"),
    };

    /// <summary>Reads a stored state name.</summary>
    /// <param name="name">The name, e.g. <c>released</c>.</param>
    /// <returns>The state.</returns>
    /// <exception cref="FormatException">The name is not a state (a damaged row).</exception>
    public static AgentVersionState ParseState(string name) => name switch
    {
        "draft" => AgentVersionState.Draft,
        "validated" => AgentVersionState.Validated,
        "released" => AgentVersionState.Released,
        "retired" => AgentVersionState.Retired,
        _ => throw new FormatException($"'{name}' is not a version state (draft, validated, released, retired)"),
    };
}
