namespace Keel.Model;

/// <summary>What Keel decided about a proposed tool call, ordered from least to most restrictive.</summary>
public enum DecisionKind
{
    /// <summary>The call may run.</summary>
    Allow = 0,

    /// <summary>The call must first run as a dry run (plan-then-apply).</summary>
    RequirePlan = 1,

    /// <summary>The call is held until a person approves it.</summary>
    RequireApproval = 2,

    /// <summary>The call is stopped and the run handed to a human.</summary>
    Escalate = 3,

    /// <summary>The call is refused.</summary>
    Deny = 4,
}
