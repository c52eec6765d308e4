namespace Keel.Diagnostics;

/// <summary>Keel's own span and metric attribute names (the <c>keel.*</c> namespace) and their values; docs/telemetry.md describes each.</summary>
public static class KeelAttributes
{
    /// <summary><c>keel.decision</c>: the decision in snake_case: <c>allow</c>, <c>require_plan</c>, <c>require_approval</c>, <c>escalate</c>, <c>deny</c>.</summary>
    public const string Decision = "keel.decision";

    /// <summary><c>keel.stage</c>: the pipeline stage that decided, e.g. <c>policy</c>.</summary>
    public const string Stage = "keel.stage";

    /// <summary><c>keel.rule_id</c>: the rule that decided, e.g. <c>airline.cancel.eligibility</c>; absent for a plain allow.</summary>
    public const string RuleId = "keel.rule_id";

    /// <summary><c>keel.policy_version</c>: the version of the policy set whose rule decided.</summary>
    public const string PolicyVersion = "keel.policy_version";

    /// <summary><c>keel.failure_class</c>: the failure taxonomy class in snake_case, e.g. <c>tool_transient</c>; absent when the call succeeded.</summary>
    public const string FailureClass = "keel.failure_class";

    /// <summary><c>keel.mode</c>: <c>enforce</c> (live) or <c>audit</c> (replay).</summary>
    public const string Mode = "keel.mode";

    /// <summary><c>keel.tool.kind</c>: the tool's <c>x-tool-type</c> in lower case: <c>read</c>, <c>write</c> or <c>generic</c>; absent for an unknown tool.</summary>
    public const string ToolKind = "keel.tool.kind";

    /// <summary><c>keel.decision.reason</c> (only with content capture on: a reason may quote argument values): the decision's sentence.</summary>
    public const string DecisionReason = "keel.decision.reason";

    /// <summary><c>keel.workspace.id</c>: the workspace of the run.</summary>
    public const string WorkspaceId = "keel.workspace.id";

    /// <summary><c>keel.run.status</c>: how the run ended in snake_case, e.g. <c>completed</c>, <c>handed_off</c>, <c>stopped</c>.</summary>
    public const string RunStatus = "keel.run.status";

    /// <summary><c>keel.run.workflow_class</c>: the run's domain, e.g. <c>airline</c>.</summary>
    public const string WorkflowClass = "keel.run.workflow_class";

    /// <summary><c>keel.run.failures</c>: how many failures the run's record holds (int).</summary>
    public const string RunFailures = "keel.run.failures";

    /// <summary><c>keel.budget.kind</c>: the budget a measurement is about: <c>steps</c>, <c>tool_calls</c>, <c>tokens</c> or <c>cost_usd</c>.</summary>
    public const string BudgetKind = "keel.budget.kind";

    /// <summary>The <see cref="Mode"/> value of live traffic.</summary>
    public const string EnforceMode = "enforce";

    /// <summary>The <see cref="Mode"/> value of replay.</summary>
    public const string AuditMode = "audit";
}
