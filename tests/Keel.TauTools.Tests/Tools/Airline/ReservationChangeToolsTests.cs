using System.Text.Json.Nodes;
using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Tools.Airline;

public sealed class ReservationChangeToolsTests
{
    // OBUT9V (sofia_kim_7287): one passenger, economy, HAT078/HAT118 on 05-27 and HAT084/HAT266 on 05-28, booked at 146 + 167 + 122 + 131 = 566.
    private const string Obut9vFlights = """
        [{"flight_number": "HAT078", "date": "2024-05-27"}, {"flight_number": "HAT118", "date": "2024-05-27"},
         {"flight_number": "HAT084", "date": "2024-05-28"}, {"flight_number": "HAT266", "date": "2024-05-28"}]
        """;

    private static string ChangeObut9v(string cabin, string paymentId) =>
        $$"""{"reservation_id": "OBUT9V", "cabin": "{{cabin}}", "flights": {{Obut9vFlights}}, "payment_id": "{{paymentId}}"}""";

    private static JsonObject PaymentMethod(Keel.TauTools.Tools.TauToolbox toolbox, string userId, string paymentId) =>
        toolbox.Call("get_user_details", $$"""{"user_id": "{{userId}}"}""").Object()["payment_methods"]![paymentId]!.AsObject();

    [Fact]
    public void UpdateReservationFlights_SameFlightsAndCabin_KeepsBookedPricesAndChargesNothing()
    {
        var toolbox = Tau.Airline();
        var reservation = toolbox.Call("update_reservation_flights", ChangeObut9v("economy", "gift_card_7091239")).Object();
        reservation["flights"]!.AsArray().Select(f => f!["price"]!.GetValue<long>()).ShouldBe([146L, 167L, 122L, 131L]);
        reservation["payment_history"]!.AsArray().Count.ShouldBe(1);
        PaymentMethod(toolbox, "sofia_kim_7287", "gift_card_7091239")["amount"]!.GetValue<long>().ShouldBe(157);
    }

    [Fact]
    public void UpdateReservationFlights_CabinUpgrade_ChargesCurrentPriceDifferenceToCard()
    {
        var reservation = Tau.Airline().Call("update_reservation_flights", ChangeObut9v("business", "credit_card_9879898")).Object();
        reservation["flights"]!.AsArray().Select(f => f!["price"]!.GetValue<long>()).ShouldBe([444L, 480L, 364L, 247L]);
        var payment = reservation["payment_history"]!.AsArray().Last()!;
        payment["payment_id"]!.GetValue<string>().ShouldBe("credit_card_9879898");
        payment["amount"]!.GetValue<long>().ShouldBe(1535 - 566);
        reservation["cabin"]!.GetValue<string>().ShouldBe("economy"); // the reference does not update the cabin field
    }

    [Fact]
    public void UpdateReservationFlights_CabinDowngradeOnGiftCard_CreditsTheCard()
    {
        var toolbox = Tau.Airline();
        var reservation = toolbox.Call("update_reservation_flights", ChangeObut9v("basic_economy", "gift_card_7091239")).Object();
        reservation["payment_history"]!.AsArray().Last()!["amount"]!.GetValue<long>().ShouldBe(364 - 566);
        PaymentMethod(toolbox, "sofia_kim_7287", "gift_card_7091239")["amount"]!.GetValue<long>().ShouldBe(157 + 202);
    }

    [Fact]
    public void UpdateReservationFlights_GiftCardBelowDifference_IsRefused() =>
        Tau.Airline().Call("update_reservation_flights", ChangeObut9v("business", "gift_card_7091239")).ShouldFailWith("Error: gift card balance is not enough");

    [Fact]
    public void UpdateReservationFlights_Certificate_IsRefused() =>
        Tau.Airline().Call("update_reservation_flights", ChangeObut9v("business", "certificate_8544743")).ShouldFailWith("Error: certificate cannot be used to update reservation");

    [Fact]
    public void UpdateReservationFlights_UnknownReservation_IsNotFound() =>
        Tau.Airline().Call("update_reservation_flights", """{"reservation_id": "NOPE00", "cabin": "economy", "flights": [], "payment_id": "x"}""").ShouldFailWith("Error: reservation not found");

    [Fact]
    public void UpdateReservationBaggages_AddedNonfreeBag_ChargesFiftyToCard()
    {
        var reservation = Tau.Airline().Call("update_reservation_baggages", """{"reservation_id": "YAX4DR", "total_baggages": 2, "nonfree_baggages": 1, "payment_id": "credit_card_4938634"}""").Object();
        reservation["total_baggages"]!.GetValue<long>().ShouldBe(2);
        reservation["nonfree_baggages"]!.GetValue<long>().ShouldBe(1);
        reservation["payment_history"]!.AsArray().Last()!.ToJsonString().ShouldBe("""{"payment_id":"credit_card_4938634","amount":50}""");
    }

    [Fact]
    public void UpdateReservationBaggages_OnlyFreeBags_ChargesNothing() =>
        Tau.Airline().Call("update_reservation_baggages", """{"reservation_id": "YAX4DR", "total_baggages": 1, "nonfree_baggages": 0, "payment_id": "credit_card_4938634"}""")
            .Object()["payment_history"]!.AsArray().Count.ShouldBe(1);

    [Fact]
    public void UpdateReservationBaggages_GiftCardBelowCharge_IsRefused() =>
        Tau.Airline().Call("update_reservation_baggages", """{"reservation_id": "OBUT9V", "total_baggages": 2, "nonfree_baggages": 1, "payment_id": "gift_card_7480005"}""")
            .ShouldFailWith("Error: gift card balance is not enough");

    [Fact]
    public void UpdateReservationBaggages_PaymentNotInProfile_IsRefused() =>
        Tau.Airline().Call("update_reservation_baggages", """{"reservation_id": "YAX4DR", "total_baggages": 2, "nonfree_baggages": 1, "payment_id": "gift_card_7480005"}""")
            .ShouldFailWith("Error: payment method not found");

    [Fact]
    public void UpdateReservationPassengers_SameCount_ReplacesPassengers()
    {
        var reservation = Tau.Airline().Call("update_reservation_passengers", """
            {"reservation_id": "YAX4DR", "passengers": [{"first_name": "Chen", "last_name": "Lee", "dob": "1967-12-12"}, {"first_name": "Ana", "last_name": "Silva", "dob": "1990-02-03"}]}
            """).Object();
        reservation["passengers"]![1]!["first_name"]!.GetValue<string>().ShouldBe("Ana");
    }

    [Fact]
    public void UpdateReservationPassengers_OtherCount_IsRefused() =>
        Tau.Airline().Call("update_reservation_passengers", """{"reservation_id": "YAX4DR", "passengers": [{"first_name": "Chen", "last_name": "Lee", "dob": "1967-12-12"}]}""")
            .ShouldFailWith("Error: number of passengers does not match");
}
