using System.Text.Json;
using Keel.Gateway;
using Keel.Model;
using Keel.Policies;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Policies;

public sealed class ConfirmationDetectorTests
{
    private const string Cancel = "cancel_reservation";

    private readonly List<ConversationEntry> _conversation = [];

    private ConfirmationDetectorTests User(string text)
    {
        _conversation.Add(new ConversationEntry(MessageRole.User, text, null));
        return this;
    }

    private ConfirmationDetectorTests Assistant(string text)
    {
        _conversation.Add(new ConversationEntry(MessageRole.Assistant, text, null));
        return this;
    }

    private ConfirmationDetectorTests Wrote(string tool)
    {
        _conversation.Add(new ConversationEntry(MessageRole.System, string.Empty, tool));
        return this;
    }

    private ConfirmationStatus Find(string tool, string arguments)
    {
        using var doc = JsonDocument.Parse(arguments);
        return ConfirmationDetector.Find(_conversation, tool, doc.RootElement.Clone());
    }

    private ConfirmationStatus FindCancel(string reservation) => Find(Cancel, $$"""{"reservation_id": "{{reservation}}"}""");

    [Fact]
    public void Find_ActionListedThenYes_IsConfirmed()
    {
        User("I need to cancel my trip, reservation 3RK2T9.")
            .Assistant("Reservation 3RK2T9 (MCO to SFO) will be cancelled and refunded to gift card 2550356. Shall I go ahead?")
            .User("Yes, please go ahead.");

        FindCancel("3RK2T9").ShouldBe(ConfirmationStatus.Confirmed);
    }

    [Fact]
    public void Find_YesWithoutTheActionListed_IsNotListed()
    {
        User("Can you help me with my flight?")
            .Assistant("Of course. What would you like to do?")
            .User("Yes please, just do it.");

        FindCancel("3RK2T9").ShouldBe(ConfirmationStatus.NotListed);
    }

    [Theory]
    [InlineData("No, wait.")]
    [InlineData("wait, let me check with my wife first")]
    [InlineData("Hold on a second.")]
    [InlineData("Please don't proceed yet.")]
    public void Find_LatestUserMessageDeclines_IsNotConfirmedEvenAfterAnEarlierYes(string decline)
    {
        Assistant("I will cancel reservation 3RK2T9. Confirm?")
            .User("yes")
            .Assistant("Great, processing the cancellation of 3RK2T9 now.")
            .User(decline);

        FindCancel("3RK2T9").ShouldBe(ConfirmationStatus.NotConfirmed);
    }

    [Fact]
    public void Find_NoUserMessageAtAll_IsNotConfirmed()
    {
        Assistant("I will cancel reservation 3RK2T9.");

        FindCancel("3RK2T9").ShouldBe(ConfirmationStatus.NotConfirmed);
    }

    [Fact]
    public void Find_BackToBackWritesAfterOneYes_ShareTheConfirmation()
    {
        Assistant("I will cancel 8C8K4E and LU15PA. Do you confirm?")
            .User("Yes, cancel both.")
            .Wrote(Cancel);

        FindCancel("LU15PA").ShouldBe(ConfirmationStatus.Confirmed);
        Wrote(Cancel);
        FindCancel("MSJ4OA").ShouldBe(ConfirmationStatus.Confirmed);
    }

    [Fact]
    public void Find_WriteAfterTheUserSpokeAgain_NeedsANewYes()
    {
        Assistant("I will cancel 8C8K4E. Do you confirm?")
            .User("Yes.")
            .Wrote(Cancel)
            .Assistant("Done. Anything else?")
            .User("What about my other booking, LU15PA?");

        FindCancel("LU15PA").ShouldBe(ConfirmationStatus.NotConfirmed);

        Assistant("LU15PA is a business reservation; I can cancel it. Shall I?").User("ok");
        FindCancel("LU15PA").ShouldBe(ConfirmationStatus.Confirmed);
    }

    [Fact]
    public void Find_YesGivenBeforeTheLastWriteOnly_DoesNotCarryOverToANewActionTheAgentListsLater()
    {
        Assistant("I will cancel 8C8K4E. Do you confirm?")
            .User("Yes.")
            .Wrote(Cancel)
            .User("thanks")
            .Assistant("You're welcome. I can also upgrade LU15PA to business.");

        Find("update_reservation_flights", """{"reservation_id": "LU15PA", "cabin": "business"}""").ShouldBe(ConfirmationStatus.NotConfirmed);
    }

    [Fact]
    public void Find_UserInstructsTheActionByItsVerb_IsConfirmedWhenTheAgentListedIt()
    {
        // tau-bench airline task 28: the user asks to cancel all the reservations the agent has just listed.
        Assistant("I found these reservations: 1. 8C8K4E 2. UDMOP1 3. LU15PA")
            .User("I would like to cancel all of these reservations, s'il vous plaît.");

        FindCancel("8C8K4E").ShouldBe(ConfirmationStatus.Confirmed);
        FindCancel("XAZ3C0").ShouldBe(ConfirmationStatus.NotListed); // the agent never listed this one, so "all of these" does not cover it
    }

    [Fact]
    public void Find_InstructionWithAnotherVerb_IsNotAConfirmation()
    {
        Assistant("Reservation 8C8K4E: BOS to DEN, business.")
            .User("I would like to change the date of this reservation.");

        FindCancel("8C8K4E").ShouldBe(ConfirmationStatus.NotConfirmed);
    }

    [Fact]
    public void Find_ListingByAnArgumentValue_CountsOnlyBeforeTheYes()
    {
        User("yes")
            .Assistant("Sending a $100 certificate to mia_li_3668.");

        Find("send_certificate", """{"user_id": "mia_li_3668", "amount": 100}""").ShouldBe(ConfirmationStatus.NotListed);
    }

    [Theory]
    [InlineData("Nope.")]
    [InlineData("no")]
    [InlineData("Actually, no.")]
    public void Declines_ExplicitNo_IsADecline(string text)
    {
        ConfirmationDetector.Declines(text).ShouldBeTrue();
        ConfirmationDetector.Affirms(text).ShouldBeFalse();
    }

    [Theory]
    [InlineData("Yes")]
    [InlineData("yep, go ahead")]
    [InlineData("Sounds good to me.")]
    [InlineData("That's right.")]
    [InlineData("Please proceed.")]
    public void Affirms_ExplicitYes_IsAnAffirmation(string text) => ConfirmationDetector.Affirms(text).ShouldBeTrue();

    [Theory]
    [InlineData("Thanks.")]
    [InlineData("What are my options?")]
    [InlineData("Yesterday I booked it.")]
    public void Affirms_NoExplicitYes_IsNotAnAffirmation(string text) => ConfirmationDetector.Affirms(text).ShouldBeFalse();

    [Theory]
    [InlineData("Don't cancel it, I changed my mind.")]
    [InlineData("I don't want to cancel anymore.")]
    [InlineData("Please do not cancel 3RK2T9.")]
    public void Find_UserSaysNotToDoTheAction_IsNotConfirmed(string refusal)
    {
        Assistant("I will cancel reservation 3RK2T9 and refund $280. Shall I proceed?").User(refusal);

        FindCancel("3RK2T9").ShouldBe(ConfirmationStatus.NotConfirmed);
    }

    [Theory]
    [InlineData("I'm not sure, let me think about it.")]
    [InlineData("I am not ok with that price.")]
    [InlineData("That is not correct.")]
    public void Find_UserHesitates_IsNotConfirmed(string hesitation)
    {
        Assistant("I will cancel reservation 3RK2T9 and refund $280. Shall I proceed?").User(hesitation);

        FindCancel("3RK2T9").ShouldBe(ConfirmationStatus.NotConfirmed);
    }
}
