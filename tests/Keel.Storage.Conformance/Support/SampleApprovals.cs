using Keel.Approvals;

namespace Keel.Storage.Conformance.Support;

/// <summary>Approvals for store tests.</summary>
public static class SampleApprovals
{
    /// <summary>A pending approval of a refund call in run <paramref name="runId"/>, requested at <paramref name="at"/>, open for an hour.</summary>
    public static Approval Pending(string id, DateTimeOffset at, string runId = "r1", string workspaceId = "ws-a", string digest = "sha256:refund", string? planDigest = null) => new()
    {
        Id = id,
        WorkspaceId = workspaceId,
        RunId = runId,
        CallId = "c1",
        ToolName = "refund_order",
        ArgumentsJson = """{"amount":600,"order_id":"A1"}""",
        Digest = digest,
        PlanDigest = planDigest,
        PlanJson = planDigest is null ? null : """[{"op":"replace","path":"/status","value":"closed"}]""",
        Reason = "refunds above 500 need a supervisor",
        RuleId = "refund.supervisor",
        RequestedAt = at,
        ExpiresAt = at.AddHours(1),
    };
}
