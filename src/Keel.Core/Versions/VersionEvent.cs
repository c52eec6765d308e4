namespace Keel.Versions;

/// <summary>One entry of a workspace's version history: a registration or a state change, with who did it and when, chained to the
/// entry before it by <see cref="Audit.AuditHash.VersionEvent"/> so that a changed, removed or reordered entry is detected
/// (<see cref="VersionHistory.Verify"/>).</summary>
/// <param name="WorkspaceId">The workspace.</param>
/// <param name="Sequence">1-based, gap-free position in the workspace's version history.</param>
/// <param name="Agent">The agent.</param>
/// <param name="Action">What happened: <c>register</c>, <c>validate</c>, <c>release</c>, <c>rollout</c>, <c>rollback</c> or <c>retire</c>.</param>
/// <param name="VersionHash">The version the action named (for a rollback, the version that serves afterwards).</param>
/// <param name="Actor">Who did it.</param>
/// <param name="At">When the store committed it (UTC).</param>
/// <param name="Detail">The change in words, e.g. <c>released sha256:… to 10 % of new runs; sha256:… stays stable</c>.</param>
/// <param name="PreviousHash">The hash of the previous entry, or <see cref="Audit.AuditHash.VersionGenesis"/> for the first.</param>
/// <param name="Hash">This entry's hash.</param>
public sealed record VersionEvent(
    string WorkspaceId,
    long Sequence,
    string Agent,
    string Action,
    string VersionHash,
    string Actor,
    DateTimeOffset At,
    string Detail,
    string PreviousHash,
    string Hash);
