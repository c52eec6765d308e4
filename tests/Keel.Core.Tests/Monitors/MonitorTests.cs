using Keel.Core.Tests.Gateway;
using Keel.Model;
using Keel.Monitors;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Monitors;

public sealed class MonitorTests
{
    private readonly Run _run = new("run-1", "acme", "airline", "1.0.0", GatewayKit.Clock);
    private readonly RunMonitors _monitors;

    public MonitorTests() => _monitors = new RunMonitors(_run, GatewayKit.Agent(), RunMonitors.Standard);

    private long Add(RunEvent runEvent)
    {
        var stored = _run.Append(runEvent);
        _monitors.Observe(stored);
        return stored.Sequence;
    }

    private long Say(MessageRole role, string text) => Add(new MessageEvent(role, text) { Timestamp = GatewayKit.Clock });

    private long Tool(string tool, string arguments, ToolResultStatus status, string output)
    {
        var id = "call_" + _run.Events.Count;
        Add(new ToolCallEvent(new ToolCall(id, tool, arguments)));
        return Add(new ToolResultEvent(new ToolResult(id, status, output), tool));
    }

    private IEnumerable<Finding> Of(string type) => _monitors.Findings.Where(f => f.Type == type);

    [Fact]
    public void ClaimResult_SuccessClaimedAfterTheWriteFailed_IsAHighSeverityMismatchPointingAtBoth()
    {
        Say(MessageRole.User, "Please cancel reservation 3RK2T9.");
        var failed = Tool("cancel_reservation", """{"reservation_id": "3RK2T9"}""", ToolResultStatus.Error, "Error: reservation 3RK2T9 not found");
        var claim = Say(MessageRole.Assistant, "Thanks for waiting. Your reservation has been successfully cancelled! Anything else?");

        var finding = Of("claim_result_mismatch").ShouldHaveSingleItem();
        finding.Severity.ShouldBe(FindingSeverity.High);
        finding.Monitor.ShouldBe("claim_result");
        finding.Message.ShouldBe("the assistant said \"Your reservation has been successfully cancelled\" but cancel_reservation failed: Error: reservation 3RK2T9 not found");
        finding.EventSequences.ShouldBe([failed, claim]);
        var recorded = _run.Events.OfType<FindingEvent>().ShouldHaveSingleItem();
        recorded.Finding.ShouldBe(finding);
        recorded.Sequence.ShouldBe(claim + 1);
    }

    [Fact]
    public void ClaimResult_SuccessClaimedWithoutAnyWrite_IsAMismatchSayingItNeverHappened()
    {
        Say(MessageRole.User, "Please cancel 3RK2T9.");
        Tool("get_reservation_details", """{"reservation_id": "3RK2T9"}""", ToolResultStatus.Ok, "{}");
        var claim = Say(MessageRole.Assistant, "I've cancelled reservation 3RK2T9 for you.");

        var finding = Of("claim_result_mismatch").ShouldHaveSingleItem();
        finding.Message.ShouldBe("the assistant said \"I've cancelled reservation 3RK2T9 for you\" but no cancel_reservation call happened in the run");
        finding.EventSequences.ShouldBe([claim]);
    }

    [Fact]
    public void ClaimResult_WriteThatNeverRan_IsAMismatchSayingItDidNotRun()
    {
        Tool("update_reservation_flights", """{"reservation_id": "ABC123"}""", ToolResultStatus.NotExecuted, "held for approval");
        Say(MessageRole.Assistant, "Your flights have been updated.");

        Of("claim_result_mismatch").ShouldHaveSingleItem().Message.ShouldEndWith("but update_reservation_flights did not run");
    }

    [Fact]
    public void ClaimResult_SuccessClaimedAfterTheWriteSucceeded_IsNoFinding()
    {
        Tool("cancel_reservation", """{"reservation_id": "3RK2T9"}""", ToolResultStatus.Ok, """{"status": "cancelled"}""");
        Say(MessageRole.Assistant, "Your reservation has been cancelled and the refund is on its way.");

        Of("claim_result_mismatch").ShouldBeEmpty();
    }

    [Fact]
    public void ClaimResult_ClaimWhoseVerbMatchesNoWriteTool_IsNoFinding()
    {
        Say(MessageRole.Assistant, "I've checked your reservation and it has been confirmed by the airline.");

        Of("claim_result_mismatch").ShouldBeEmpty();
    }

    [Fact]
    public void ClaimResult_PlanNotClaim_IsNoFinding()
    {
        Say(MessageRole.Assistant, "I will cancel reservation 3RK2T9 once you confirm.");

        Of("claim_result_mismatch").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("The refund goes to your card once the reservation has been cancelled.")]
    [InlineData("Checked bags cannot be removed once they have been added.")]
    [InlineData("Your reservation has not been cancelled yet.")]
    public void ClaimResult_PhraseInAConditionalOrNegatedClause_IsNoFinding(string text)
    {
        Say(MessageRole.Assistant, text);

        Of("claim_result_mismatch").ShouldBeEmpty();
    }

    [Fact]
    public void RepeatedQuestion_CustomerAsksTheSameAgain_IsAMediumFindingPointingAtBothMessages()
    {
        var first = Say(MessageRole.User, "When will I get the refund for my cancelled flight?");
        Say(MessageRole.Assistant, "Let me check your reservation.");
        var again = Say(MessageRole.User, "When will I get the refund for my cancelled flight??");

        var finding = Of("repeated_question").ShouldHaveSingleItem();
        finding.Severity.ShouldBe(FindingSeverity.Medium);
        finding.EventSequences.ShouldBe([first, again]);
        finding.Message.ShouldBe("the customer repeated an earlier message (similarity 1.00): \"When will I get the refund for my cancelled flight??\"");
    }

    [Fact]
    public void RepeatedQuestion_ShortRepliesAndDifferentQuestions_AreNoFinding()
    {
        Say(MessageRole.User, "yes");
        Say(MessageRole.User, "yes");
        Say(MessageRole.User, "When will I get the refund for my cancelled flight?");
        Say(MessageRole.User, "Can I add a checked bag to my reservation please?");
        Say(MessageRole.Assistant, "When will I get the refund for my cancelled flight?");

        Of("repeated_question").ShouldBeEmpty();
    }

    [Fact]
    public void HumanTransfer_TransferCall_IsAnInfoFindingCarryingTheAgentsSummary()
    {
        var id = "call_t";
        var sequence = Add(new ToolCallEvent(new ToolCall(id, "transfer_to_human_agents",
            """{"summary": "User wants to cancel basic economy reservation 3RK2T9 booked 13 days ago without insurance."}""")));

        var finding = Of("human_transfer").ShouldHaveSingleItem();
        finding.Severity.ShouldBe(FindingSeverity.Info);
        finding.Message.ShouldBe("the agent transferred the customer to a human: User wants to cancel basic economy reservation 3RK2T9 booked 13 days ago without insurance.");
        finding.EventSequences.ShouldBe([sequence]);
    }

    [Fact]
    public void HumanTransfer_TransferWithoutSummary_NamesTheTool()
    {
        Add(new ToolCallEvent(new ToolCall("call_t", "transfer_to_human_agents", "{}")));

        Of("human_transfer").ShouldHaveSingleItem().Message.ShouldBe("the agent transferred the customer to a human (transfer_to_human_agents)");
    }

    [Fact]
    public void HumanTransfer_ToolThatIsNoHandoffTool_IsNoFinding()
    {
        Add(new ToolCallEvent(new ToolCall("call_x", "cancel_reservation", """{"summary": "not a transfer"}""")));

        Of("human_transfer").ShouldBeEmpty();
    }
}
