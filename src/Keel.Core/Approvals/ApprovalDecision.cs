namespace Keel.Approvals;

/// <summary>Applies one person's decision to an approval: the one rule set every approval store uses inside its transaction.</summary>
public static class ApprovalDecision
{
    /// <summary>Adds a stage to <paramref name="approval"/>. A denial ends it (<see cref="ApprovalStatus.Denied"/>); an approval
    /// grants it once <see cref="Approval.StagesRequired"/> distinct people have approved.</summary>
    /// <param name="approval">The approval as stored.</param>
    /// <param name="by">Who decides (the operator key's name).</param>
    /// <param name="approve">Approve (<see langword="true"/>) or deny.</param>
    /// <param name="note">The decider's note, or <see langword="null"/>.</param>
    /// <param name="now">The current time (UTC).</param>
    /// <returns>The updated approval, or an error saying why the decision cannot be taken: not pending (already decided,
    /// used or expired — expiry is fail-closed), or the same person deciding a second stage.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="approval"/> or <paramref name="by"/> is <see langword="null"/>.</exception>
    public static (Approval? Updated, string? Error) Apply(Approval approval, string by, bool approve, string? note, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(approval);
        ArgumentNullException.ThrowIfNull(by);
        var status = approval.StatusAt(now);
        if (status != ApprovalStatus.Pending)
        {
            return (null, $"approval {approval.Id} is {status.ToString().ToLowerInvariant()}, not pending: it can no longer be decided");
        }

        if (approval.Stages.Any(s => string.Equals(s.By, by, StringComparison.Ordinal)))
        {
            return (null, $"'{by}' already decided a stage of approval {approval.Id}; each of its {approval.StagesRequired} stages needs a different person");
        }

        var stages = approval.Stages.Append(new ApprovalStage(by, approve, note, now)).ToArray();
        var next = !approve ? ApprovalStatus.Denied
            : stages.Count(s => s.Approved) >= approval.StagesRequired ? ApprovalStatus.Granted
            : ApprovalStatus.Pending;
        return (approval with { Stages = stages, Status = next }, null);
    }
}
