using Keel.Core.Tests.Gateway;
using Keel.Failures;
using Keel.Gateway;
using Keel.Model;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Failures;

public sealed class HandoffPacketBuilderTests
{
    private const string InsuredOnly = """
        policy: test
        version: "2"
        rules:
          - id: cancel.insured
            kind: precondition
            tools: [cancel_reservation]
            require: facts.get_reservation_details[args.reservation_id].insurance == 'yes'
            reason: "the reservation has no travel insurance"
            cite: c
        """;

    private static readonly ToolCallPipeline Audit = new ToolCallPipelineBuilder().AddStandardStages(ExecuteStage.Recorded, WorkspaceId).Build();

    private static async Task Recorded(RunState state, Keel.Model.AgentVersion agent, string tool, string arguments, string output, string id)
    {
        var call = new ToolCall(id, tool, arguments);
        await AuditAsync(Audit, state, agent, call, new ToolResult(id, ToolResultStatus.Ok, output));
    }

    /// <summary>A customer asks to cancel an uninsured reservation; Keel holds the cancellation; the agent transfers.</summary>
    private static async Task<RunState> HeldCancellationAsync()
    {
        var agent = Agent(InsuredOnly);
        var state = NewRun();
        state.AppendMessage(MessageRole.System, "# Airline Agent Policy", Clock);
        state.AppendMessage(MessageRole.User, "Hi there!", Clock);
        state.AppendMessage(MessageRole.Assistant, "Hello! How can I help?", Clock);
        state.AppendMessage(MessageRole.User, "I need to cancel reservation 3RK2T9, I booked it two weeks ago.", Clock);
        await Recorded(state, agent, "get_reservation_details", """{"reservation_id":"3RK2T9"}""", """{"reservation_id": "3RK2T9", "insurance": "no"}""", "call_1");
        state.AppendMessage(MessageRole.Assistant, "I can cancel 3RK2T9 for you. Shall I proceed?", Clock);
        state.AppendMessage(MessageRole.User, "Yes.", Clock);
        await Recorded(state, agent, "cancel_reservation", """{"reservation_id":"3RK2T9"}""", """{"status": "cancelled"}""", "call_2");
        await Recorded(state, agent, "transfer_to_human_agents", """{"summary":"Customer wants 3RK2T9 cancelled; no insurance."}""", "Transfer successful", "call_3");
        return state;
    }

    [Fact]
    public async Task Build_HeldCancellation_FillsEveryFieldFromTheRun()
    {
        var state = await HeldCancellationAsync();

        var packet = HandoffPacketBuilder.Build(state.Run, "escalated: held for approval", Team, ["transfer_to_human_agents"]);

        packet.RunId.ShouldBe("run-1");
        packet.Reason.ShouldBe("escalated: held for approval");
        packet.CustomerAsk.ShouldBe("I need to cancel reservation 3RK2T9, I booked it two weeks ago.");
        packet.AgentUnderstanding.ShouldBe("Customer wants 3RK2T9 cancelled; no insurance.");
        packet.ConversationTail.ShouldBe([
            "user: Hi there!",
            "assistant: Hello! How can I help?",
            "user: I need to cancel reservation 3RK2T9, I booked it two weeks ago.",
            "assistant: I can cancel 3RK2T9 for you. Shall I proceed?",
            "user: Yes."]);
        packet.ToolCalls.ShouldBe([
            """get_reservation_details({"reservation_id":"3RK2T9"}) → ok""",
            """cancel_reservation({"reservation_id":"3RK2T9"}) → ok [keel: require_approval by cancel.insured]""",
            """transfer_to_human_agents({"summary":"Customer wants 3RK2T9 cancelled; no insurance."}) → ok"""]);
        packet.WhatFailed.ShouldBe(["policy (escalate): the reservation has no travel insurance"]);
        packet.SuggestedNextAction.ShouldBe(
            "review the held cancel_reservation call (cancel.insured): the reservation has no travel insurance; approve or deny it and tell the customer");
        packet.TargetTeam.ShouldBe(Team);
        packet.Priority.ShouldBe("p1");
    }

    [Fact]
    public async Task Build_CallThatNeverRan_ReadsNotExecuted()
    {
        var state = NewRun();
        await EnforceAsync(Pipeline(new FakeToolExecutor()), state, Agent(InsuredOnly), new ToolCall("call_1", "cancel_reservation", """{"reservation_id":"3RK2T9"}"""));

        var packet = HandoffPacketBuilder.Build(state.Run, "held", Team, []);

        packet.ToolCalls.ShouldHaveSingleItem().ShouldStartWith("""cancel_reservation({"reservation_id":"3RK2T9"}) → not_executed""");
    }

    [Fact]
    public async Task Build_BudgetStop_IsPriorityTwoAndAsksForATakeover()
    {
        var state = NewRun();
        var agent = Agent(budgets: new BudgetLimits(MaxToolCalls: 1));
        state.AppendMessage(MessageRole.User, "Please look up both of my reservations.", Clock);
        await EnforceAsync(Pipeline(new FakeToolExecutor()), state, agent, Call("get_reservation_details", """{"reservation_id": "A1"}"""));
        await EnforceAsync(Pipeline(new FakeToolExecutor()), state, agent, Call("get_reservation_details", """{"reservation_id": "A2"}"""));

        var packet = HandoffPacketBuilder.Build(state.Run, "safe stop", "support", []);

        packet.Priority.ShouldBe("p2");
        packet.SuggestedNextAction.ShouldBe("take over: the agent was stopped (run budget exceeded: 2 tool calls used, limit 1); finish the customer's request by hand");
        packet.AgentUnderstanding.ShouldBeNull();
        packet.WhatFailed.ShouldBe(["budget (safe_stop): run budget exceeded: 2 tool calls used, limit 1"]);
    }

    [Fact]
    public async Task Build_PlainTransfer_IsPriorityThreeAndContinuesFromTheSummary()
    {
        var state = NewRun();
        state.AppendMessage(MessageRole.User, "I want to speak to a person about my refund.", Clock);
        await Recorded(state, Agent(), "transfer_to_human_agents", """{"summary":"refund question"}""", "Transfer successful", "call_1");

        var packet = HandoffPacketBuilder.Build(state.Run, "transfer", "support", ["transfer_to_human_agents"]);

        packet.Priority.ShouldBe("p3");
        packet.AgentUnderstanding.ShouldBe("refund question");
        packet.SuggestedNextAction.ShouldBe("continue the customer's request from the agent's summary; nothing was left half-done by Keel");
        packet.WhatFailed.ShouldBeEmpty();
    }

    [Fact]
    public void Build_LongConversation_KeepsTheLastTwelveMessages()
    {
        var state = NewRun();
        for (var i = 1; i <= 15; i++)
        {
            state.AppendMessage(i % 2 == 1 ? MessageRole.User : MessageRole.Assistant, $"message number {i} of the conversation", Clock);
        }

        var packet = HandoffPacketBuilder.Build(state.Run, "r", "support", []);

        packet.ConversationTail.Count.ShouldBe(HandoffPacketBuilder.TailLength);
        packet.ConversationTail[0].ShouldBe("assistant: message number 4 of the conversation");
        packet.ConversationTail[^1].ShouldBe("user: message number 15 of the conversation");
        packet.CustomerAsk.ShouldBe("message number 1 of the conversation");
        packet.SuggestedNextAction.ShouldBe("read the failures below and continue the conversation");
    }

    [Fact]
    public void Build_CustomerSaidNothing_SaysSo()
    {
        var packet = HandoffPacketBuilder.Build(NewRun().Run, "r", "support", []);

        packet.CustomerAsk.ShouldBe("(the customer said nothing)");
        packet.ConversationTail.ShouldBeEmpty();
        packet.ToolCalls.ShouldBeEmpty();
    }
}
