using Keel.Model;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Gateway;

public sealed class BudgetAndLoopGuardStageTests
{
    private static string Lookup(string id) => $$"""{"reservation_id": "{{id}}"}""";

    [Fact]
    public async Task ExecuteAsync_MaxToolCallsExceeded_DeniesTheCallThatGoesPastTheLimit()
    {
        var tool = new FakeToolExecutor();
        var state = NewRun();
        var agent = Agent(budgets: new BudgetLimits(MaxToolCalls: 2));
        var pipeline = Pipeline(tool);

        var first = await EnforceAsync(pipeline, state, agent, Call("get_reservation_details", Lookup("A1")));
        var second = await EnforceAsync(pipeline, state, agent, Call("get_reservation_details", Lookup("A2")));
        var third = await EnforceAsync(pipeline, state, agent, Call("get_reservation_details", Lookup("A3")));

        first.Decision.Kind.ShouldBe(DecisionKind.Allow);
        second.Decision.Kind.ShouldBe(DecisionKind.Allow);
        third.Decision.ShouldBe(new Decision(DecisionKind.Deny, "budget", "budget.tool_calls", null, "run budget exceeded: 3 tool calls used, limit 2"));
        third.Result.Status.ShouldBe(ToolResultStatus.NotExecuted);
        third.Failure.ShouldNotBeNull().Class.ShouldBe(FailureClass.Budget);
        third.Failure.Disposition.ShouldBe(Disposition.SafeStop);
        tool.Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task ExecuteAsync_MaxStepsCountsMessagesToo()
    {
        var tool = new FakeToolExecutor();
        var state = NewRun();
        var agent = Agent(budgets: new BudgetLimits(MaxSteps: 3));
        state.AppendMessage(MessageRole.User, "Please look up ABC123.", Clock);
        state.AppendMessage(MessageRole.Assistant, "Sure.", Clock);

        var allowed = await EnforceAsync(Pipeline(tool), state, agent, Call("get_reservation_details", Lookup("A1")));
        var denied = await EnforceAsync(Pipeline(tool), state, agent, Call("get_reservation_details", Lookup("A2")));

        allowed.Decision.Kind.ShouldBe(DecisionKind.Allow);
        denied.Decision.RuleId.ShouldBe("budget.steps");
        denied.Decision.Reason.ShouldBe("run budget exceeded: 4 steps used, limit 3");
        tool.Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task ExecuteAsync_TokensSpentBeyondTheBudget_DeniesTheNextCall()
    {
        var tool = new FakeToolExecutor();
        var state = NewRun();
        state.AddUsage(1_500, 0.01m);

        var outcome = await EnforceAsync(Pipeline(tool), state, Agent(budgets: new BudgetLimits(MaxTokens: 1_000)), Call("get_reservation_details", Lookup("A1")));

        outcome.Decision.RuleId.ShouldBe("budget.tokens");
        outcome.Decision.Reason.ShouldBe("run budget exceeded: 1500 tokens used, limit 1000");
        tool.Attempts.ShouldBe(0);
    }

    [Fact]
    public async Task ExecuteAsync_SameCallBeyondMaxRepeats_IsDeniedAsALoop()
    {
        var tool = new FakeToolExecutor();
        var state = NewRun();
        var agent = Agent(loopGuard: new LoopGuardOptions(MaxRepeats: 2));
        var pipeline = Pipeline(tool);

        var outcomes = new List<Keel.Gateway.ToolCallOutcome>();
        for (var i = 0; i < 3; i++)
        {
            outcomes.Add(await EnforceAsync(pipeline, state, agent, Call("get_reservation_details", Lookup("ABC123"))));
        }

        outcomes.Select(o => o.Decision.Kind).ShouldBe([DecisionKind.Allow, DecisionKind.Allow, DecisionKind.Deny]);
        outcomes[2].Decision.ShouldBe(new Decision(DecisionKind.Deny, "loop_guard", "loop.repeat", null,
            "get_reservation_details with the same arguments was already called 2 times in this run (limit 2)"));
        outcomes[2].Failure.ShouldNotBeNull().Class.ShouldBe(FailureClass.Loop);
        outcomes[2].Failure!.Disposition.ShouldBe(Disposition.SafeStop);
        tool.Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task ExecuteAsync_SameArgumentsInAnotherKeyOrderAndSpacing_CountAsTheSameCall()
    {
        var tool = new FakeToolExecutor();
        var state = NewRun();
        var agent = Agent(loopGuard: new LoopGuardOptions(MaxRepeats: 2));
        var pipeline = Pipeline(tool);

        await EnforceAsync(pipeline, state, agent, Call("update_reservation_flights",
            """{"reservation_id": "ABC123", "cabin": "economy", "payment_id": "credit_card_1", "flights": [{"flight_number": "HAT001", "date": "2024-05-20"}]}"""));
        await EnforceAsync(pipeline, state, agent, Call("update_reservation_flights",
            """{"flights":[{"date":"2024-05-20","flight_number":"HAT001"}],"payment_id":"credit_card_1","cabin":"economy","reservation_id":"ABC123"}"""));
        var third = await EnforceAsync(pipeline, state, agent, Call("update_reservation_flights",
            """{ "payment_id" : "credit_card_1", "reservation_id" : "ABC123", "flights" : [ { "flight_number" : "HAT001", "date" : "2024-05-20" } ], "cabin" : "economy" }"""));

        third.Decision.RuleId.ShouldBe("loop.repeat");
        tool.Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task ExecuteAsync_DifferentArgumentsOrToolsRepeated_AreNotALoop()
    {
        var tool = new FakeToolExecutor();
        var state = NewRun();
        var agent = Agent(loopGuard: new LoopGuardOptions(MaxRepeats: 1));
        var pipeline = Pipeline(tool);

        var a = await EnforceAsync(pipeline, state, agent, Call("get_reservation_details", Lookup("A1")));
        var b = await EnforceAsync(pipeline, state, agent, Call("get_reservation_details", Lookup("A2")));
        var c = await EnforceAsync(pipeline, state, agent, Call("cancel_reservation", Lookup("A1")));

        new[] { a, b, c }.ShouldAllBe(o => o.Decision.Kind == DecisionKind.Allow);
    }

    [Fact]
    public async Task ExecuteAsync_CallsThatBringNothingNew_EscalateAsNoProgress()
    {
        // Every lookup answers the same error: the first answer is new information, the next ones are not.
        var tool = new FakeToolExecutor { FailuresBeforeSuccess = int.MaxValue, Error = "Error: reservation not found" };
        var state = NewRun();
        var agent = Agent(loopGuard: new LoopGuardOptions(MaxRepeats: 3, MaxStepsWithoutProgress: 2));
        var pipeline = Pipeline(tool);

        var outcomes = new List<Keel.Gateway.ToolCallOutcome>();
        foreach (var id in new[] { "A1", "A2", "A3", "A4" })
        {
            outcomes.Add(await EnforceAsync(pipeline, state, agent, Call("get_reservation_details", Lookup(id))));
        }

        outcomes.Take(3).ShouldAllBe(o => o.Decision.Kind == DecisionKind.Allow);
        outcomes[3].Decision.ShouldBe(new Decision(DecisionKind.Escalate, "loop_guard", "loop.no_progress", null,
            "2 tool calls in a row brought no new information (limit 2)"));
        outcomes[3].Failure.ShouldNotBeNull().Class.ShouldBe(FailureClass.Loop);
        outcomes[3].Failure!.Disposition.ShouldBe(Disposition.Escalate);
        tool.Attempts.ShouldBe(3);
    }
}
