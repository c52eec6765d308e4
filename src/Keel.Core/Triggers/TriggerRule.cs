namespace Keel.Triggers;

/// <summary>What a rollout trigger watches in the drift comparison of a new version's runs against its baseline (docs/versions.md,
/// "Triggers").</summary>
public enum TriggerCondition
{
    /// <summary><c>clear_regression</c>: the task success rate down, the tool error rate up or the escalation rate up, significant after
    /// the Benjamini–Hochberg correction over every metric tested.</summary>
    ClearRegression,

    /// <summary><c>high_severity_failures_up</c>: the share of runs with a high-severity failure up (two-proportion z-test, Fisher's
    /// exact test for small counts), significant after the correction.</summary>
    HighSeverityFailuresUp,

    /// <summary><c>approval_boundary_drift</c>: the share of write calls held for approval or denied changed, up or down (clustered
    /// z-test over runs), significant after the correction.</summary>
    ApprovalBoundaryDrift,

    /// <summary><c>rescue_work_up</c>: the share of runs an operator had to rescue (a takeover or a handoff to a human) up, significant
    /// after the correction.</summary>
    RescueWorkUp,
}

/// <summary>What a trigger does when it fires; every fired trigger also alerts.</summary>
public enum TriggerAction
{
    /// <summary><c>alert</c>: post the alert; the registry is not changed.</summary>
    Alert,

    /// <summary><c>pause_rollout</c>: during a staged rollout, the candidate goes back to validated (the registry's rollback action);
    /// without a rollout, an alert only.</summary>
    PauseRollout,

    /// <summary><c>rollback</c>: the registry's rollback action — a candidate is reverted, otherwise the stable version is retired and
    /// the one stable before it is released again.</summary>
    Rollback,
}

/// <summary>One rule of a trigger file.</summary>
/// <param name="Id">The rule's id, unique in its file; the registry records the action with actor <c>trigger:&lt;id&gt;</c>.</param>
/// <param name="Condition">What it watches.</param>
/// <param name="Action">What it does when it fires.</param>
public sealed record TriggerRule(string Id, TriggerCondition Condition, TriggerAction Action)
{
    /// <summary>The rules used without a trigger file: each condition once, with its name as id, action <c>alert</c> — no registry change
    /// happens unless a file asks for it.</summary>
    public static IReadOnlyList<TriggerRule> Defaults { get; } = [.. Enum.GetValues<TriggerCondition>().Select(c => new TriggerRule(Name(c), c, TriggerAction.Alert))];

    /// <summary>The file name of a condition, e.g. <c>clear_regression</c>.</summary>
    /// <param name="condition">The condition.</param>
    /// <returns>The name.</returns>
    public static string Name(TriggerCondition condition) => condition switch
    {
        TriggerCondition.ClearRegression => "clear_regression",
        TriggerCondition.HighSeverityFailuresUp => "high_severity_failures_up",
        TriggerCondition.ApprovalBoundaryDrift => "approval_boundary_drift",
        _ => "rescue_work_up",
    };

    /// <summary>The file name of an action: <c>alert</c>, <c>pause_rollout</c> or <c>rollback</c>.</summary>
    /// <param name="action">The action.</param>
    /// <returns>The name.</returns>
    public static string Name(TriggerAction action) => action switch
    {
        TriggerAction.Alert => "alert",
        TriggerAction.PauseRollout => "pause_rollout",
        _ => "rollback",
    };
}
