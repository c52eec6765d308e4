using Keel.Model;
using Keel.Monitors;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Escalation;

/// <summary>Each factor an escalation condition reads, on constructed conversations: emotion and its trend, stakes, topic, the agent's
/// confidence and the history.</summary>
public sealed class EscalationFactorTests
{
    private const string Frustration = """
          - name: frustrated_after_calm
            when: sentiment.turned_negative && sentiment.calm_turns_before_negative >= 2 && sentiment.turns_since_negative == 0
            team: care
            priority: p2
            reason: the customer turned negative after calm turns
        """;

    [Fact]
    public void Observe_UnacceptableAfterTwoCalmTurns_EscalatesWithTheTurnAsEvidenceAndHandsTheRunOff()
    {
        var kit = new EscalationKit(Frustration);
        kit.Customer("Hi, I would like to change my flight date please.");
        kit.Agent_("Sure, what is your reservation id?");
        kit.Customer("It is ABC123, thank you.");
        kit.Agent_("Basic economy flights cannot be changed.");
        var angry = kit.Customer("This is unacceptable. I am furious.");

        var escalation = kit.Escalations.ShouldHaveSingleItem();
        escalation.EventSequences.ShouldContain(angry);
        escalation.Message.ShouldContain("care (p2)");
        kit.Run.Status.ShouldBe(RunStatus.HandedOff);
        var packet = kit.Run.Handoff.ShouldNotBeNull();
        packet.Rule.ShouldBe("frustrated_after_calm");
        packet.Priority.ShouldBe("p2");
        packet.TargetTeam.ShouldBe("care");
        packet.SentimentTrend!.ShouldStartWith("declining negative");
        packet.Evidence!.ShouldContain(angry);
        kit.Run.Events.OfType<HandoffEvent>().ShouldHaveSingleItem();
    }

    [Fact]
    public void Observe_UnacceptableAsTheOpeningMessage_DoesNotEscalate()
    {
        var kit = new EscalationKit(Frustration);
        kit.Customer("This is unacceptable. I am furious.");
        kit.Agent_("I am sorry. How can I help?");
        kit.Customer("This is still terrible.");

        kit.Escalations.ShouldBeEmpty();
        kit.Run.Status.ShouldBe(RunStatus.Active);
    }

    [Fact]
    public void Observe_CustomerNamesALargeSum_EscalatesOnStakesAndTheSumIsInThePacket()
    {
        var kit = new EscalationKit("""
              - name: large_dispute
                when: stakes.customer_amount >= 1000
                team: disputes
                priority: p1
                reason: a large sum is disputed
            """);
        kit.Customer("I want my money back for order 44.");
        kit.Escalations.ShouldBeEmpty();
        var sum = kit.Customer("You charged me $5,000 for nothing.");

        kit.Escalations.ShouldHaveSingleItem().EventSequences.ShouldContain(sum);
        kit.Run.Handoff!.Stakes!.ShouldContain("5000");
    }

    [Fact]
    public void Observe_AmountInAToolCallsArguments_IsAToolAmount()
    {
        var kit = new EscalationKit("""
              - name: large_refund
                when: stakes.tool_amount > 900
                team: refunds
                priority: p2
                reason: a large refund
            """);
        kit.Customer("Please cancel my trip.");
        kit.Call("send_certificate", """{"user_id": "u1", "amount": 850}""", "ok");
        kit.Escalations.ShouldBeEmpty();
        kit.Call("send_certificate", """{"user_id": "u1", "amount": 1200}""", "ok");

        kit.Escalations.ShouldHaveSingleItem();
    }

    [Fact]
    public void Observe_SensitiveTopic_EscalatesOnlyOnThatTopic()
    {
        const string rule = """
              - name: sensitive_topic
                when: topic.sensitive && topic.name == 'mms'
                team: media
                priority: p3
                reason: picture messaging goes to the media desk
            """;
        var data = new EscalationKit(rule);
        data.Customer("My mobile data does not work.");
        data.Escalations.ShouldBeEmpty();

        var mms = new EscalationKit(rule);
        var ask = mms.Customer("I cannot send pictures by MMS.");
        mms.Escalations.ShouldHaveSingleItem().EventSequences.ShouldContain(ask);
    }

    [Fact]
    public void Observe_AgentAbstains_EscalatesOnConfidence()
    {
        var kit = new EscalationKit("""
              - name: agent_unsure
                when: agent.abstentions >= 1
                team: support
                priority: p3
                reason: the agent has no answer
            """);
        kit.Customer("What is the baggage allowance to Mars?");
        kit.Agent_("Let me check.");
        kit.Escalations.ShouldBeEmpty();
        var abstained = kit.Agent_("I don't have that information. Let me get a teammate.");

        kit.Escalations.ShouldHaveSingleItem().EventSequences.ShouldContain(abstained);
    }

    [Fact]
    public void Observe_CustomerWaitedAnHourAndRepeatedThemselves_EscalatesOnHistory()
    {
        var kit = new EscalationKit("""
              - name: long_wait
                when: history.minutes_waited >= 60 && history.repeats >= 1 && history.prior_escalations == 0
                team: support
                priority: p2
                reason: the customer waited an hour and is repeating themselves
            """);
        kit.Customer("Where is the refund for my order number 12345?");
        kit.Agent_("Checking.", TimeSpan.FromMinutes(20));
        kit.Customer("Where is the refund for my order number 12345?", TimeSpan.FromMinutes(20));
        kit.Escalations.ShouldBeEmpty();
        kit.Customer("Hello? Anyone?", TimeSpan.FromMinutes(30));

        kit.Escalations.ShouldHaveSingleItem();
    }

    [Fact]
    public void Observe_ToolResultShowsALockedSim_EscalatesOnResults()
    {
        var kit = new EscalationKit("""
              - name: sim_locked
                when: results.exists(r, r.tool == 'check_sim_status' && r.output.lowerAscii().contains('locked'))
                team: tech
                priority: p2
                reason: locked SIM
            """);
        kit.Customer("I have no service.");
        kit.Call("check_sim_status", "{}", "The SIM card is active.");
        kit.Escalations.ShouldBeEmpty();
        var locked = kit.Call("check_sim_status", "{}", "The SIM card is locked with a PIN code.");

        kit.Escalations.ShouldHaveSingleItem().EventSequences.ShouldContain(locked);
    }

    [Fact]
    public void Observe_RuleHoldsOnLaterEvents_FiresOnce()
    {
        var kit = new EscalationKit("""
              - name: any_turn
                when: history.turns >= 1
                team: support
                priority: p3
                reason: always
            """);
        kit.Customer("One.");
        kit.Customer("Two.");

        kit.Escalations.ShouldHaveSingleItem();
        kit.Findings.Count(f => f.Type == TagTypes.Escalation).ShouldBe(1);
    }
}
