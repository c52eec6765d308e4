using Keel.Gateway;
using Keel.Model;
using Keel.Tools;

namespace Keel.Diagnostics;

/// <summary>Attribute values in the snake_case of the semantic conventions. Total: an unknown enum value maps to <c>_OTHER</c> (the
/// conventions' fallback) instead of throwing, and no conversion allocates.</summary>
internal static class TelemetryValues
{
    public const string Other = "_OTHER";

    public static string Of(DecisionKind kind) => kind switch
    {
        DecisionKind.Allow => "allow",
        DecisionKind.RequirePlan => "require_plan",
        DecisionKind.RequireApproval => "require_approval",
        DecisionKind.Escalate => "escalate",
        DecisionKind.Deny => "deny",
        _ => Other,
    };

    public static string Of(FailureClass failure) => failure switch
    {
        FailureClass.Policy => "policy",
        FailureClass.Permission => "permission",
        FailureClass.Schema => "schema",
        FailureClass.ToolTransient => "tool_transient",
        FailureClass.ToolSemantic => "tool_semantic",
        FailureClass.Grounding => "grounding",
        FailureClass.ApprovalDenied => "approval_denied",
        FailureClass.ApprovalExpired => "approval_expired",
        FailureClass.Budget => "budget",
        FailureClass.Loop => "loop",
        FailureClass.ClaimMismatch => "claim_mismatch",
        FailureClass.Injection => "injection",
        FailureClass.Incomplete => "incomplete",
        _ => Other,
    };

    public static string Of(RunStatus status) => status switch
    {
        RunStatus.Active => "active",
        RunStatus.AwaitingApproval => "awaiting_approval",
        RunStatus.Paused => "paused",
        RunStatus.TakenOver => "taken_over",
        RunStatus.HandedOff => "handed_off",
        RunStatus.Completed => "completed",
        RunStatus.Failed => "failed",
        RunStatus.Stopped => "stopped",
        _ => Other,
    };

    public static string Of(ToolType type) => type switch
    {
        ToolType.Read => "read",
        ToolType.Write => "write",
        ToolType.Generic => "generic",
        _ => Other,
    };

    public static string Of(PipelineMode mode) => mode == PipelineMode.Enforce ? KeelAttributes.EnforceMode : KeelAttributes.AuditMode;

    /// <summary>The exceptions telemetry swallows so that a broken listener never fails a tool call: all but the ones no code should catch.</summary>
    /// <param name="exception">What a listener or exporter threw.</param>
    /// <returns>Whether to swallow it.</returns>
    public static bool IsSwallowed(Exception exception) => exception is not (OutOfMemoryException or StackOverflowException or ThreadAbortException);
}
