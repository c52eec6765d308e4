namespace Keel.Approvals;

/// <summary>A held tool call waiting for (or past) people's decision: bound to the run, the call's digest and, for plan-then-apply,
/// the digest of the reviewed diff.</summary>
public sealed record Approval
{
    /// <summary>The approval id, e.g. <c>apr_3f9c…</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The workspace.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>The run whose call is held; the approval covers this run only.</summary>
    public required string RunId { get; init; }

    /// <summary>The id of the call that asked for it.</summary>
    public required string CallId { get; init; }

    /// <summary>The tool.</summary>
    public required string ToolName { get; init; }

    /// <summary>The call's arguments as canonical JSON (already redacted when the store redacts).</summary>
    public required string ArgumentsJson { get; init; }

    /// <summary>The call digest (<see cref="ApprovalDigest"/>).</summary>
    public required string Digest { get; init; }

    /// <summary>The digest of the diff the approval shows and binds (plan-then-apply); <see langword="null"/> for a plain approval.</summary>
    public string? PlanDigest { get; init; }

    /// <summary>The diff as a JSON Patch document (RFC 6902), when the call needed a plan.</summary>
    public string? PlanJson { get; init; }

    /// <summary>Why the call needs approval (the policy decision's reason).</summary>
    public required string Reason { get; init; }

    /// <summary>The rule that asked for it, when known.</summary>
    public string? RuleId { get; init; }

    /// <summary>The state.</summary>
    public ApprovalStatus Status { get; init; } = ApprovalStatus.Pending;

    /// <summary>How many distinct people must approve (1 or more).</summary>
    public int StagesRequired { get; init; } = 1;

    /// <summary>The decisions so far, oldest first.</summary>
    public IReadOnlyList<ApprovalStage> Stages { get; init; } = [];

    /// <summary>When it was requested (UTC).</summary>
    public required DateTimeOffset RequestedAt { get; init; }

    /// <summary>When it expires (UTC): past this instant it neither can be granted nor lets the call run.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The status as seen at <paramref name="now"/>: a pending or granted approval past <see cref="ExpiresAt"/> is <see cref="ApprovalStatus.Expired"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>The effective status.</returns>
    public ApprovalStatus StatusAt(DateTimeOffset now) =>
        Status is ApprovalStatus.Pending or ApprovalStatus.Granted && now >= ExpiresAt ? ApprovalStatus.Expired : Status;

    /// <summary>Of <paramref name="approvals"/>, those pending at <paramref name="now"/>, the first to expire first (then by id): the order
    /// <see cref="IApprovalStore.ListPendingForRunAsync"/> answers in.</summary>
    /// <param name="approvals">Approvals as stored.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The waiting approvals.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="approvals"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<Approval> Waiting(IEnumerable<Approval> approvals, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(approvals);
        return [.. approvals.Where(a => a.StatusAt(now) == ApprovalStatus.Pending).OrderBy(a => a.ExpiresAt).ThenBy(a => a.Id, StringComparer.Ordinal)];
    }
}
