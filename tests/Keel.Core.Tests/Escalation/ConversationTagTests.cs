using Keel.Model;
using Keel.Monitors;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Escalation;

/// <summary>Each conversation tag on hand-written conversations, with its confidence and the events it rests on.</summary>
public sealed class ConversationTagTests
{
    private const string NoRules = "  []";

    [Fact]
    public void Complete_CustomerAsksAboutPictures_TagsTheMmsTopicFromTheFirstMessageNamingATopic()
    {
        var kit = new EscalationKit(NoRules);
        kit.Customer("Hello there.");
        var ask = kit.Customer("I cannot send pictures, MMS fails every time.");
        kit.Customer("My mobile data is on, by the way, and the internet works.");
        kit.Complete();

        var topic = kit.Tag(TagTypes.Topic("mms"));
        topic.Confidence.ShouldBe(1.0);
        topic.EventSequences.ShouldBe([ask]);
    }

    [Fact]
    public void Complete_SuccessfulWriteAndThanks_IsResolved()
    {
        var kit = new EscalationKit(NoRules);
        kit.Customer("Please cancel reservation ABC123.");
        kit.Call("cancel_reservation", """{"reservation_id": "ABC123"}""", """{"status": "cancelled"}""");
        kit.Agent_("Done, it is cancelled.");
        var thanks = kit.Customer("Great, thank you so much!");
        kit.Complete();

        var outcome = kit.Tag(TagTypes.OutcomeResolved);
        outcome.Confidence.ShouldBe(0.8);
        outcome.EventSequences.ShouldBe([thanks]);
    }

    [Fact]
    public void Complete_AgentRefusesAndDoesNothing_IsDeflected()
    {
        var kit = new EscalationKit(NoRules);
        kit.Customer("Please refund my basic economy ticket.");
        var refusal = kit.Agent_("I'm unable to refund a basic economy ticket.");
        kit.Customer("Okay.");
        kit.Complete();

        kit.Tag(TagTypes.OutcomeDeflected).EventSequences.ShouldBe([refusal]);
    }

    [Fact]
    public void Complete_AgentCallsTheHandoffTool_IsEscalated()
    {
        var kit = new EscalationKit(NoRules);
        kit.Customer("I need to change the number of passengers.");
        kit.Call("transfer_to_human_agents", """{"summary": "passenger count change"}""", "Transfer successful");
        kit.Complete();

        kit.Tag(TagTypes.OutcomeEscalated).Confidence.ShouldBe(1.0);
    }

    [Fact]
    public void Complete_LastNegativeCustomerMessageUnanswered_IsAbandoned()
    {
        var kit = new EscalationKit(NoRules);
        kit.Customer("My flight is delayed, can you help?");
        kit.Agent_("Let me look into that.");
        var last = kit.Customer("Forget it, this is useless and awful.");
        kit.Complete();

        kit.Tag(TagTypes.OutcomeAbandoned).EventSequences.ShouldBe([last]);
    }

    [Fact]
    public void Complete_AgentsLastToolCallFailed_IsFailed()
    {
        var kit = new EscalationKit(NoRules);
        kit.Customer("Change my flight to Friday.");
        var failed = kit.Call("update_reservation_flights", """{"reservation_id": "ABC123"}""", "Error: flight not available", ToolResultStatus.Error);
        kit.Agent_("Your flight is changed.");
        kit.Complete();

        kit.Tag(TagTypes.OutcomeFailed).EventSequences.ShouldBe([failed]);
    }

    [Fact]
    public void Complete_CustomerRepeatsAQuestion_TagsItWithTheRepeat()
    {
        var kit = new EscalationKit(NoRules);
        kit.Customer("When will my refund for order 12345 arrive?");
        kit.Agent_("Refunds take time.");
        var repeat = kit.Customer("When will my refund for order 12345 arrive?");
        kit.Complete();

        var tag = kit.Tag(TagTypes.CustomerRepeatedQuestion);
        tag.EventSequences.ShouldBe([repeat]);
        tag.Confidence.ShouldBe(0.6);
    }

    [Fact]
    public void Complete_CustomerSaysTheyDoNotUnderstand_TagsConfusedCustomer()
    {
        var kit = new EscalationKit(NoRules);
        kit.Customer("My phone has no signal.");
        kit.Agent_("Please reset your APN settings and reboot.");
        var lost = kit.Customer("I'm not sure how to do that. What do you mean by APN?");
        kit.Complete();

        kit.Tag(TagTypes.ConfusedCustomer).EventSequences.ShouldBe([lost]);
        kit.Findings.ShouldNotContain(f => f.Type == TagTypes.CustomerRepeatedQuestion);
    }

    [Fact]
    public void Complete_CalmConversation_HasNoConfusionOrRepeatTag()
    {
        var kit = new EscalationKit(NoRules);
        kit.Customer("What is my data usage this month?");
        kit.Agent_("You used 3 GB.");
        kit.Customer("Thanks!");
        kit.Complete();

        kit.Findings.ShouldNotContain(f => f.Type == TagTypes.ConfusedCustomer || f.Type == TagTypes.CustomerRepeatedQuestion);
        kit.Findings.Where(f => TagTypes.Outcomes.Contains(f.Type)).ShouldHaveSingleItem();
    }
}
