using Keel.Core.Tests.Gateway;
using Keel.Model;
using Keel.Monitors;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Monitors;

public sealed class SentimentMonitorTests
{
    private readonly Run _run = new("run-1", "acme", "airline", "1.0.0", GatewayKit.Clock);
    private readonly RunMonitors _monitors;

    public SentimentMonitorTests() => _monitors = new RunMonitors(_run, GatewayKit.Agent(), [new SentimentMonitor()]);

    private long Say(MessageRole role, string text)
    {
        var stored = _run.Append(new MessageEvent(role, text) { Timestamp = GatewayKit.Clock });
        _monitors.Observe(stored);
        return stored.Sequence;
    }

    private List<Finding> Of(string type) => [.. _monitors.Findings.Where(f => f.Type == type)];

    [Fact]
    public void Observe_NegativeAfterTwoCalmTurnsAndAnAgentReply_SignalsTheTurnPointingAtBothMessagesAndTheReply()
    {
        Say(MessageRole.User, "Hi, I need to change my flight date.");
        Say(MessageRole.Assistant, "Sure, what is your reservation id?");
        var calm = Say(MessageRole.User, "It is ABC123, thanks.");
        var reply = Say(MessageRole.Assistant, "I am sorry, basic economy flights cannot be changed.");
        var angry = Say(MessageRole.User, "This is unacceptable. I am very angry.");

        var finding = Of(TagTypes.SentimentTurnedNegative).ShouldHaveSingleItem();
        finding.Severity.ShouldBe(FindingSeverity.Medium);
        finding.EventSequences.ShouldBe([calm, reply, angry]);
    }

    [Fact]
    public void Observe_NegativeOpeningMessage_IsNoTurn()
    {
        Say(MessageRole.User, "This is unacceptable. My flight was cancelled and I am furious.");
        Say(MessageRole.Assistant, "I am sorry to hear that. Let me look.");
        Say(MessageRole.User, "This is terrible, I hate this airline.");

        Of(TagTypes.SentimentTurnedNegative).ShouldBeEmpty();
    }

    [Fact]
    public void Observe_TwoCustomerMessagesWithoutAReplyBetween_IsNoTurn()
    {
        Say(MessageRole.User, "Hello, I would like help with a booking.");
        Say(MessageRole.User, "Actually this is awful, the site is broken.");

        Of(TagTypes.SentimentTurnedNegative).ShouldBeEmpty();
    }

    [Fact]
    public void Complete_CustomerGoesFromPositiveToNegative_TagsNegativeRunAndDecline()
    {
        Say(MessageRole.User, "Great, thank you so much for the help!");
        Say(MessageRole.Assistant, "The refund is not possible.");
        Say(MessageRole.User, "That is terrible and unfair. I am angry.");
        Say(MessageRole.Assistant, "I understand.");
        Say(MessageRole.User, "Awful service, horrible.");

        _monitors.Complete(GatewayKit.Clock);

        Of(TagTypes.SentimentNegative).ShouldHaveSingleItem().EventSequences.Count.ShouldBe(3);
        Of(TagTypes.SentimentDeclining).ShouldHaveSingleItem().Message.ShouldStartWith("customer sentiment declined from positive");
        Of(TagTypes.SentimentImproving).ShouldBeEmpty();
    }

    [Fact]
    public void Complete_CustomerGoesFromNegativeToPositive_TagsImprovement()
    {
        Say(MessageRole.User, "My bag is lost and I am upset.");
        Say(MessageRole.Assistant, "I found it, it arrives tomorrow.");
        Say(MessageRole.User, "Wonderful, thank you, that is great news!");

        _monitors.Complete(GatewayKit.Clock);

        Of(TagTypes.SentimentImproving).ShouldHaveSingleItem();
        Of(TagTypes.SentimentDeclining).ShouldBeEmpty();
    }

    [Fact]
    public void Complete_NoCustomerMessage_TagsNothing()
    {
        Say(MessageRole.Assistant, "Hello, how can I help?");

        _monitors.Complete(GatewayKit.Clock);

        _monitors.Findings.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("The book was good.", 0.4404)]
    [InlineData("The book was good. The plot was bad.", (0.4404 + -0.5423) / 2)]
    [InlineData("...", 0.0)]
    public void Compound_SentencesOfAMessage_AreAveraged(string text, double expected) =>
        new SentimentMonitor().Compound(text).ShouldBe(expected, 0.0001);
}
