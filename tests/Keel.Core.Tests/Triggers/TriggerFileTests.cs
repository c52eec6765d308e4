using Keel.Triggers;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Triggers;

public sealed class TriggerFileTests
{
    [Fact]
    public void Parse_FourRules_ReadInOrder()
    {
        var (rules, diagnostics) = TriggerFile.Parse("""
            triggers:
              - {id: regression, when: clear_regression, action: rollback}
              - {id: severe, when: high_severity_failures_up, action: pause_rollout}
              - {id: approvals, when: approval_boundary_drift, action: alert}
              - {id: rescue, when: rescue_work_up, action: alert}
            """, "triggers.yaml");

        diagnostics.ShouldBeEmpty();
        rules.ShouldNotBeNull().ShouldBe([
            new TriggerRule("regression", TriggerCondition.ClearRegression, TriggerAction.Rollback),
            new TriggerRule("severe", TriggerCondition.HighSeverityFailuresUp, TriggerAction.PauseRollout),
            new TriggerRule("approvals", TriggerCondition.ApprovalBoundaryDrift, TriggerAction.Alert),
            new TriggerRule("rescue", TriggerCondition.RescueWorkUp, TriggerAction.Alert)]);
    }

    [Fact]
    public void Parse_MisspelledConditionAndUnknownAction_ErrorsNamingLineAndFix()
    {
        var (rules, diagnostics) = TriggerFile.Parse("triggers:\n  - id: r\n    when: clear_regresion\n    action: rolback\n", "t.yaml");

        rules.ShouldBeNull();
        diagnostics.Select(d => d.ToString()).ShouldBe([
            "t.yaml:3:11: error: unknown condition 'clear_regresion'; did you mean 'clear_regression'?; known: clear_regression, high_severity_failures_up, approval_boundary_drift, rescue_work_up",
            "t.yaml:4:13: error: unknown action 'rolback'; did you mean 'rollback'?; use alert, pause_rollout or rollback"]);
    }

    [Fact]
    public void Parse_DuplicateIdOrMissingAction_Errors()
    {
        var (rules, diagnostics) = TriggerFile.Parse("triggers:\n  - {id: r, when: rescue_work_up, action: alert}\n  - {id: r, when: clear_regression}\n", "t.yaml");

        rules.ShouldBeNull();
        diagnostics.Count(d => d.IsError).ShouldBe(2);
        diagnostics.ShouldContain(d => d.Message.Contains("trigger id 'r' is used twice"));
        diagnostics.ShouldContain(d => d.Message == "missing 'action'");
    }

    [Fact]
    public void Parse_NoRules_Error()
    {
        TriggerFile.Parse("triggers: []\n", "t.yaml").Rules.ShouldBeNull();
    }

    [Fact]
    public void Defaults_EveryConditionOnceAlertOnly()
    {
        TriggerRule.Defaults.Select(r => (r.Id, r.Action)).ShouldBe([("clear_regression", TriggerAction.Alert), ("high_severity_failures_up", TriggerAction.Alert),
            ("approval_boundary_drift", TriggerAction.Alert), ("rescue_work_up", TriggerAction.Alert)]);
    }
}
