using Keel.Sdk.Api;

namespace Keel.Sdk.Governance;

/// <summary>What the host does with a call Keel decided on.</summary>
public enum ToolCallVerdictKind
{
    /// <summary>Keel allowed the call and no upstream ran it: the host runs its own function.</summary>
    RunLocally,

    /// <summary>Keel allowed the call and its upstream tool ran it: <see cref="ToolCallVerdict.ResultText"/> is the tool's answer.</summary>
    RanUpstream,

    /// <summary>Keel refused the call (deny, escalate, require_plan): <see cref="ToolCallVerdict.ResultText"/> says why, for the model.</summary>
    Refused,

    /// <summary>Keel holds the call until a person approves it (<see cref="ToolCallVerdict.ApprovalId"/>); it did not run.</summary>
    Held,
}

/// <summary>Keel's answer to one proposed call, as the SDK acts on it.</summary>
/// <param name="Kind">What the host does.</param>
/// <param name="ResultText">The text the model reads as the call's result: the upstream tool's answer, or a sentence naming
/// Keel's decision, rule and reason; <see langword="null"/> for <see cref="ToolCallVerdictKind.RunLocally"/>.</param>
/// <param name="ApprovalId">The approval that holds the call (<c>apr_…</c>); only for <see cref="ToolCallVerdictKind.Held"/>.</param>
/// <param name="Outcome">The gateway's full answer.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ToolCallVerdict(ToolCallVerdictKind Kind, string? ResultText, string? ApprovalId, ApiToolCallOutcome Outcome)
{
    /// <summary>Maps the gateway's answer (docs/gateway-api.md, "tool-call outcome") to what the host does.</summary>
    /// <param name="outcome">The answer.</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="outcome"/> is <see langword="null"/>.</exception>
    public static ToolCallVerdict From(ApiToolCallOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var decision = outcome.Decision;
        var rule = decision.RuleId is null ? $"stage {decision.Stage}" : $"rule {decision.RuleId}, stage {decision.Stage}";
        return decision.Kind switch
        {
            ApiDecisionKinds.Allow when outcome.Result.Status == ApiToolResult.NotExecuted => new(ToolCallVerdictKind.RunLocally, null, null, outcome),
            ApiDecisionKinds.Allow when outcome.Result.Status == ApiToolResult.Error => new(ToolCallVerdictKind.RanUpstream, $"The tool failed: {outcome.Result.Output}", null, outcome),
            ApiDecisionKinds.Allow => new(ToolCallVerdictKind.RanUpstream, outcome.Result.Output ?? string.Empty, null, outcome),
            ApiDecisionKinds.RequireApproval when outcome.Approval is { } approval => new(ToolCallVerdictKind.Held,
                $"Keel is holding this call for approval {approval.Id} ({rule}): {decision.Reason}. The tool did not run; it runs once a person approves it and the same call is made again.",
                approval.Id, outcome),
            ApiDecisionKinds.RequireApproval => new(ToolCallVerdictKind.Refused,
                $"Keel is holding this call ({rule}) but could not ask for an approval: {decision.Reason}. The tool did not run.", null, outcome),
            ApiDecisionKinds.RequirePlan => new(ToolCallVerdictKind.Refused,
                $"Keel requires a reviewed plan before this call ({rule}): {decision.Reason}. The tool did not run.", null, outcome),
            ApiDecisionKinds.Escalate => new(ToolCallVerdictKind.Refused,
                $"Keel stopped this call and handed the conversation to a person ({rule}): {decision.Reason}. The tool did not run.", null, outcome),
            _ => new(ToolCallVerdictKind.Refused, $"Keel denied this call ({rule}): {decision.Reason}. The tool did not run.", null, outcome),
        };
    }
}
