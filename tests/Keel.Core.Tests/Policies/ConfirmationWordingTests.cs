using System.Text.Json;
using Keel.Gateway;
using Keel.Model;
using Keel.Policies;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Policies;

public sealed class ConfirmationWordingTests
{
    [Theory]
    [InlineData("Yes, please proceed. I don't need anything else today.")]
    [InlineData("Yes, no problem, go ahead.")]
    public void Affirms_YesInASentenceWithoutNegation_IsAConfirmation(string text) =>
        ConfirmationDetector.Affirms(text).ShouldBeTrue();

    [Fact]
    public void Affirms_MessageThatOpensWithNo_IsNoConfirmationEvenWithALaterYes() =>
        // A message that starts by declining is read as a refusal as a whole: the safe side for a write.
        ConfirmationDetector.Affirms("No, the other one. Yes, that one is right.").ShouldBeFalse();

    [Theory]
    [InlineData("I'm not sure that's correct.")]
    [InlineData("Don't cancel it, yes I know.")]
    [InlineData("Please do not cancel the second one.")]
    [InlineData("That is wrong, ok?")]
    public void Affirms_RefusalOrNegatedYes_IsNoConfirmation(string text) =>
        ConfirmationDetector.Affirms(text).ShouldBeFalse();

    [Fact]
    public void Find_ActionListedInPlainLanguage_CountsAsListed()
    {
        // The agent says "change" for modify_pending_order_items and names no id; the customer says yes.
        List<ConversationEntry> conversation =
        [
            new(MessageRole.Assistant, "Your jigsaw order has not shipped, so I can change it to the 500-piece puzzle. Shall I?", null),
            new(MessageRole.User, "Yes, please change it.", null),
        ];
        using var args = JsonDocument.Parse("""{"order_id": "#W4082615", "item_ids": ["9779102705"], "new_item_ids": ["1096508426"]}""");

        ConfirmationDetector.Find(conversation, "modify_pending_order_items", args.RootElement).ShouldBe(ConfirmationStatus.Confirmed);
    }

    [Fact]
    public void Find_NoListingAtAll_IsNotListed()
    {
        List<ConversationEntry> conversation =
        [
            new(MessageRole.Assistant, "Anything else I can help with?", null),
            new(MessageRole.User, "Yes please.", null),
        ];
        using var args = JsonDocument.Parse("""{"order_id": "#W4082615"}""");

        ConfirmationDetector.Find(conversation, "modify_pending_order_items", args.RootElement).ShouldBe(ConfirmationStatus.NotListed);
    }
}
