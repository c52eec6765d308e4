using Keel.Versions;

namespace Keel.Server.Versions;

/// <summary>An agent version as the versions API shows it (docs/versions.md).</summary>
/// <param name="Agent">The agent.</param>
/// <param name="Hash">The content hash, <c>sha256:</c> and 64 hex digits.</param>
/// <param name="Label">The bundle's own version text (<c>version:</c> in <c>agent.yaml</c>).</param>
/// <param name="Model">The model.</param>
/// <param name="State"><c>draft</c>, <c>validated</c>, <c>released</c> or <c>retired</c>.</param>
/// <param name="SharePercent">While released, the share of new runs (100: stable; 1–99: a candidate); otherwise null.</param>
/// <param name="CreatedAt">When it was registered (UTC).</param>
/// <param name="CreatedBy">Who registered it.</param>
/// <param name="Note">The registration note, or null.</param>
/// <param name="ReleasedAt">When it was last released, or null.</param>
/// <param name="Workflows">In a version list: TSR and CPSR per workflow of the runs served by the version among the workspace's newest
/// 1,000 (<see cref="VersionFigures"/>), empty when it served none; null elsewhere.</param>
public sealed record VersionDto(string Agent, string Hash, string Label, string Model, string State, int? SharePercent, DateTimeOffset CreatedAt, string CreatedBy, string? Note, DateTimeOffset? ReleasedAt,
    IReadOnlyList<WorkflowFiguresDto>? Workflows = null)
{
    /// <summary>Maps a record.</summary>
    public static VersionDto From(VersionRecord v) => new(v.Agent, v.Hash, v.Label, v.Model, VersionRecord.StateName(v.State), v.SharePercent, v.CreatedAt, v.CreatedBy, v.Note, v.ReleasedAt);
}

/// <summary>TSR and CPSR of one workflow's runs under a version (<see cref="WorkflowFigures"/>).</summary>
/// <param name="Workflow">The workflow class, <c>unknown</c> when the runs carry none.</param>
/// <param name="Runs">Runs served by the version.</param>
/// <param name="Ended">Of those, ended (completed, failed, handed off, stopped).</param>
/// <param name="Succeeded">Of those, completed.</param>
/// <param name="Tsr">Succeeded ÷ ended, 0–1; null when none ended.</param>
/// <param name="TsrLower">Lower bound of the 95 % Wilson interval; null when none ended.</param>
/// <param name="TsrUpper">Upper bound of the 95 % Wilson interval; null when none ended.</param>
/// <param name="CostUsd">The ended runs' reported model cost, USD.</param>
/// <param name="CostPerSuccessUsd">Cost ÷ successes (CPSR), USD; null when none succeeded.</param>
public sealed record WorkflowFiguresDto(string Workflow, int Runs, int Ended, int Succeeded, double? Tsr, double? TsrLower, double? TsrUpper, decimal CostUsd, decimal? CostPerSuccessUsd)
{
    /// <summary>Maps figures.</summary>
    public static WorkflowFiguresDto From(WorkflowFigures f) =>
        new(f.Workflow, f.Runs, f.Ended, f.Succeeded, f.Tsr?.Estimate, f.Tsr?.Lower, f.Tsr?.Upper, f.CostUsd, f.CostPerSuccessUsd);
}

/// <summary>An agent's versions, oldest first.</summary>
public sealed record VersionListDto(IReadOnlyList<VersionDto> Versions);

/// <summary>One entry of the version history.</summary>
/// <param name="Sequence">1-based position in the workspace's history.</param>
/// <param name="Agent">The agent.</param>
/// <param name="Action"><c>register</c>, <c>validate</c>, <c>release</c>, <c>rollout</c>, <c>rollback</c> or <c>retire</c>.</param>
/// <param name="Version">The version the action named.</param>
/// <param name="Actor">Who did it (an API key id, or the operating-system user of <c>keel version</c>).</param>
/// <param name="At">When (UTC, the store's clock).</param>
/// <param name="Detail">The change in words.</param>
/// <param name="Hash">The entry's chain hash.</param>
public sealed record VersionEventDto(long Sequence, string Agent, string Action, string Version, string Actor, DateTimeOffset At, string Detail, string Hash)
{
    /// <summary>Maps an entry.</summary>
    public static VersionEventDto From(VersionEvent e) => new(e.Sequence, e.Agent, e.Action, e.VersionHash, e.Actor, e.At, e.Detail, e.Hash);
}

/// <summary>An agent's version history and whether the workspace's chain checks.</summary>
/// <param name="Entries">The agent's entries, oldest first.</param>
/// <param name="ChainIntact">Whether the workspace's whole history chain checks (<see cref="VersionHistory.Verify"/>).</param>
/// <param name="Problems">What does not check, one per line; empty when intact.</param>
public sealed record VersionHistoryDto(IReadOnlyList<VersionEventDto> Entries, bool ChainIntact, IReadOnlyList<string> Problems);

/// <summary>What an action changed.</summary>
/// <param name="Changed">The versions after the change.</param>
/// <param name="Event">The history entry written.</param>
public sealed record VersionOutcomeDto(IReadOnlyList<VersionDto> Changed, VersionEventDto Event);

/// <summary>One change between two versions, in words.</summary>
/// <param name="Area">What changed: <c>prompt</c>, <c>tools</c>, <c>policies</c>, <c>escalation</c>, <c>budgets</c>, … .</param>
/// <param name="Text">The change.</param>
public sealed record VersionChangeDto(string Area, string Text);

/// <summary>What changed from one version to another.</summary>
/// <param name="From">The first version's hash.</param>
/// <param name="To">The second version's hash.</param>
/// <param name="Changes">The changes, empty when none.</param>
public sealed record VersionDiffDto(string From, string To, IReadOnlyList<VersionChangeDto> Changes);

/// <summary>Body of <c>POST …/versions/{hash}/release</c>.</summary>
/// <param name="Share">The share of new runs, 1–100; null for 100 (every new run).</param>
public sealed record ReleaseVersionRequest(int? Share);

/// <summary>Body of <c>POST /v1/agents/{agent}/rollback</c>.</summary>
/// <param name="To">The version to release again (hash or unique prefix); null for the previously released one.</param>
public sealed record RollbackRequest(string? To);
