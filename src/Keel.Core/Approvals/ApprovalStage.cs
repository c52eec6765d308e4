namespace Keel.Approvals;

/// <summary>One person's decision on an approval.</summary>
/// <param name="By">Who decided: the name of the operator's API key.</param>
/// <param name="Approved">Whether they approved (<see langword="false"/>: denied).</param>
/// <param name="Note">Their note; <see langword="null"/> for none.</param>
/// <param name="At">When (UTC).</param>
public sealed record ApprovalStage(string By, bool Approved, string? Note, DateTimeOffset At);
