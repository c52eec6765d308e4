using Keel.Model;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Gateway;

public sealed class PolicyAndGateStageTests
{
    private const string Rules = """
        policy: test
        version: "7"
        rules:
          - id: certificate.cap
            kind: parameter_constraint
            tools: [send_certificate]
            require: args.amount <= 500
            reason: "certificates above $500 are never sent"
            cite: "c"
          - id: cancel.looked-up
            kind: precondition
            tools: [cancel_reservation]
            require: args.reservation_id in facts.get_reservation_details
            reason: "the reservation was not looked up before cancelling it"
            cite: "c"
          - id: flights.plan
            kind: precondition
            tools: [update_reservation_flights]
            require: "false"
            on_fail: require_plan
            cite: "c"
          - id: transfer.escalate
            kind: escalate
            tools: [transfer_to_human_agents]
            when: args.summary.contains('lawyer')
            cite: "c"
        """;

    private static readonly string CancelArgs = """{"reservation_id": "ABC123"}""";

    [Fact]
    public async Task ExecuteAsync_PolicyDenies_StopsAtThePolicyWithoutAnApprovalRequest()
    {
        var tool = new FakeToolExecutor();
        var state = NewRun();

        var outcome = await EnforceAsync(Pipeline(tool), state, Agent(Rules), Call("send_certificate", """{"user_id": "mia_li_3668", "amount": 900}"""));

        outcome.Decision.ShouldBe(new Decision(DecisionKind.Deny, "policy", "certificate.cap", "7", "certificates above $500 are never sent"));
        outcome.Result.Status.ShouldBe(ToolResultStatus.NotExecuted);
        outcome.Failure.ShouldNotBeNull().Class.ShouldBe(FailureClass.Policy);
        outcome.Failure.Disposition.ShouldBe(Disposition.SafeStop);
        outcome.Failure.RuleId.ShouldBe("certificate.cap");
        state.Run.Events.OfType<ApprovalEvent>().ShouldBeEmpty();
        tool.Attempts.ShouldBe(0);
    }

    [Fact]
    public async Task ExecuteAsync_PolicyRequiresApproval_IsHeldAtTheApprovalGateAndAnApprovalIsRequested()
    {
        var tool = new FakeToolExecutor();
        var state = NewRun();
        var call = Call("cancel_reservation", CancelArgs);

        var outcome = await EnforceAsync(Pipeline(tool), state, Agent(Rules), call);

        outcome.Decision.Kind.ShouldBe(DecisionKind.RequireApproval);
        outcome.Decision.RuleId.ShouldBe("cancel.looked-up");
        outcome.Decision.Reason.ShouldStartWith("the reservation was not looked up before cancelling it (could not be verified: ");
        outcome.Result.Status.ShouldBe(ToolResultStatus.NotExecuted);
        tool.Attempts.ShouldBe(0);
        var failure = outcome.Failure.ShouldNotBeNull();
        failure.Class.ShouldBe(FailureClass.Policy);
        failure.Disposition.ShouldBe(Disposition.Escalate);
        failure.HandoffTarget.ShouldBe(Team);
        state.Run.Events.Select(e => e.Kind).ShouldBe([RunEventKind.ToolCall, RunEventKind.Decision, RunEventKind.Approval, RunEventKind.ToolResult]);
        var approval = state.Run.Events.OfType<ApprovalEvent>().ShouldHaveSingleItem();
        approval.CallId.ShouldBe(call.Id);
        approval.State.ShouldBe("requested");
        approval.Note.ShouldBe(outcome.Decision.Reason);
        state.Run.Events.OfType<ToolResultEvent>().Single().Result.Status.ShouldBe(ToolResultStatus.NotExecuted);
    }

    [Fact]
    public async Task ExecuteAsync_RequireApprovalWhileOverBudget_BudgetDeniesBeforeTheGateHoldsIt()
    {
        // require_approval is only pending after the policy stage: budgets and the loop guard still see the call.
        var tool = new FakeToolExecutor();
        var state = NewRun();
        var agent = Agent(Rules, new BudgetLimits(MaxToolCalls: 1));
        await EnforceAsync(Pipeline(tool), state, agent, Call("get_reservation_details", """{"reservation_id": "XYZ999"}"""));

        var outcome = await EnforceAsync(Pipeline(tool), state, agent, Call("cancel_reservation", CancelArgs));

        outcome.Decision.Kind.ShouldBe(DecisionKind.Deny);
        outcome.Decision.Stage.ShouldBe("budget");
        outcome.Failure.ShouldNotBeNull().Class.ShouldBe(FailureClass.Budget);
        state.Run.Events.OfType<ApprovalEvent>().ShouldBeEmpty();
    }

    [Fact]
    public async Task ExecuteAsync_ApprovedCall_RunsTheToolAndRecordsTheApprovedRule()
    {
        var tool = new FakeToolExecutor();
        var state = NewRun();
        var call = Call("cancel_reservation", CancelArgs);

        var outcome = await EnforceAsync(Pipeline(tool, isApproved: c => c.Call.Id == call.Id), state, Agent(Rules), call);

        tool.Attempts.ShouldBe(1);
        outcome.Decision.Kind.ShouldBe(DecisionKind.Allow);
        outcome.Decision.RuleId.ShouldBe("cancel.looked-up");
        outcome.Decision.Reason.ShouldStartWith("approved: the reservation was not looked up");
        outcome.Succeeded.ShouldBeTrue();
        outcome.Failure.ShouldBeNull();
        state.Run.Events.OfType<ApprovalEvent>().ShouldBeEmpty();
    }

    [Fact]
    public async Task ExecuteAsync_ApprovalForAnotherCall_StillHoldsThisOne()
    {
        var tool = new FakeToolExecutor();

        var outcome = await EnforceAsync(Pipeline(tool, isApproved: c => c.Call.Id == "call_other"), NewRun(), Agent(Rules), Call("cancel_reservation", CancelArgs));

        outcome.Decision.Kind.ShouldBe(DecisionKind.RequireApproval);
        tool.Attempts.ShouldBe(0);
    }

    [Fact]
    public async Task ExecuteAsync_LookedUpFirst_TheSamePolicyAllows()
    {
        var tool = new FakeToolExecutor { Output = """{"reservation_id": "ABC123", "cabin": "economy"}""" };
        var state = NewRun();
        await EnforceAsync(Pipeline(tool), state, Agent(Rules), Call("get_reservation_details", CancelArgs));

        var outcome = await EnforceAsync(Pipeline(tool), state, Agent(Rules), Call("cancel_reservation", CancelArgs));

        outcome.Decision.ShouldBe(new Decision(DecisionKind.Allow, "policy", null, "7", "no policy rule objected"));
        tool.Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task ExecuteAsync_PolicyRequiresPlan_IsHeldAtThePlanGateWithoutAnApprovalRequest()
    {
        var tool = new FakeToolExecutor();
        var state = NewRun();

        var outcome = await EnforceAsync(Pipeline(tool), state, Agent(Rules),
            Call("update_reservation_flights", """{"reservation_id": "ABC123", "cabin": "economy", "payment_id": "credit_card_1", "flights": []}"""));

        outcome.Decision.Kind.ShouldBe(DecisionKind.RequirePlan);
        outcome.Decision.RuleId.ShouldBe("flights.plan");
        outcome.Result.Status.ShouldBe(ToolResultStatus.NotExecuted);
        outcome.Failure.ShouldNotBeNull().Class.ShouldBe(FailureClass.Policy);
        tool.Attempts.ShouldBe(0);
        state.Run.Events.OfType<ApprovalEvent>().ShouldBeEmpty();
    }

    [Fact]
    public async Task ExecuteAsync_EscalateRule_StopsTheCallAndHandsItToTheTeam()
    {
        var tool = new FakeToolExecutor();

        var outcome = await EnforceAsync(Pipeline(tool), NewRun(), Agent(Rules), Call("transfer_to_human_agents", """{"summary": "customer says a lawyer is involved"}"""));

        outcome.Decision.Kind.ShouldBe(DecisionKind.Escalate);
        outcome.Decision.RuleId.ShouldBe("transfer.escalate");
        outcome.Failure.ShouldNotBeNull().Disposition.ShouldBe(Disposition.Escalate);
        outcome.Failure.HandoffTarget.ShouldBe(Team);
        tool.Attempts.ShouldBe(0);
    }
}
