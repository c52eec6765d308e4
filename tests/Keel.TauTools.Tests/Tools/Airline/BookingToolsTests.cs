using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Tools.Airline;

public sealed class BookingToolsTests
{
    // Task 0 of the recorded runs: JFK→ATL→SEA on 2024-05-20 in economy, 152 + 103 for one passenger, 1 paid bag (50).
    private const string Booking = """
        {"user_id": "mia_li_3668", "origin": "JFK", "destination": "SEA", "flight_type": "one_way", "cabin": "economy",
         "flights": [{"flight_number": "HAT136", "date": "2024-05-20"}, {"flight_number": "HAT039", "date": "2024-05-20"}],
         "passengers": [{"first_name": "Mia", "last_name": "Li", "dob": "1990-04-05"}],
         "payment_methods": [{"payment_id": "certificate_7504069", "amount": 250}, {"payment_id": "credit_card_4421486", "amount": PAID}],
         "total_baggages": 3, "nonfree_baggages": 1, "insurance": "INSURANCE"}
        """;

    private static string BookingWith(string paid, string insurance = "no") => Booking.Replace("PAID", paid, StringComparison.Ordinal).Replace("INSURANCE", insurance, StringComparison.Ordinal);

    [Fact]
    public void BookReservation_ExactPayment_CreatesReservationAtPolicyTimeAndUsesUpCertificate()
    {
        var toolbox = Tau.Airline();
        var booked = toolbox.Call("book_reservation", BookingWith("55"));
        var reservation = booked.Object();

        reservation["reservation_id"]!.GetValue<string>().ShouldBe("HATHAT");
        reservation["created_at"]!.GetValue<string>().ShouldBe("2024-05-15T15:00:00");
        reservation["flights"]![0]!["price"]!.GetValue<long>().ShouldBe(152);
        reservation["flights"]![1]!["origin"]!.GetValue<string>().ShouldBe("ATL");
        var user = toolbox.Call("get_user_details", """{"user_id": "mia_li_3668"}""").Object();
        user["payment_methods"]!.AsObject().ContainsKey("certificate_7504069").ShouldBeFalse();
        user["reservations"]!.AsArray().Last()!.GetValue<string>().ShouldBe("HATHAT");
        toolbox.Call("get_reservation_details", """{"reservation_id": "HATHAT"}""").Text.ShouldBe(booked.Text);
    }

    [Fact]
    public void BookReservation_SecondBooking_GetsNextReferenceId()
    {
        var toolbox = Tau.Airline();
        toolbox.Call("book_reservation", BookingWith("55")).IsError.ShouldBeFalse();
        var second = Booking.Replace("""{"payment_id": "certificate_7504069", "amount": 250}, """, "", StringComparison.Ordinal).Replace("PAID", "305", StringComparison.Ordinal).Replace("INSURANCE", "no", StringComparison.Ordinal);
        toolbox.Call("book_reservation", second).Object()["reservation_id"]!.GetValue<string>().ShouldBe("HATHAU");
    }

    [Fact]
    public void BookReservation_PaymentShort_AnswersTotalAndPaidLikePython() =>
        Tau.Airline().Call("book_reservation", BookingWith("5.0"))
            .ShouldFailWith("Error: payment amount does not add up, total price is 305, but paid 255.0");

    [Fact]
    public void BookReservation_WithInsurance_AddsThirtyPerPassenger() =>
        Tau.Airline().Call("book_reservation", BookingWith("55", insurance: "yes"))
            .ShouldFailWith("Error: payment amount does not add up, total price is 335, but paid 305");

    [Fact]
    public void BookReservation_PaymentMethodNotInProfile_IsRefused() =>
        Tau.Airline().Call("book_reservation", BookingWith("55").Replace("credit_card_4421486", "credit_card_0000000", StringComparison.Ordinal))
            .ShouldFailWith("Error: payment method credit_card_0000000 not found");

    [Fact]
    public void BookReservation_CertificateBelowAmount_IsRefused() =>
        Tau.Airline().Call("book_reservation", BookingWith("55").Replace("certificate_7504069\", \"amount\": 250", "certificate_4856383\", \"amount\": 250", StringComparison.Ordinal))
            .ShouldFailWith("Error: not enough balance in payment method certificate_4856383");

    [Fact]
    public void BookReservation_FlightAlreadyFlown_IsNotAvailable() =>
        Tau.Airline().Call("book_reservation", BookingWith("55").Replace("2024-05-20\"}, {", "2024-05-01\"}, {", StringComparison.Ordinal))
            .ShouldFailWith("Error: flight HAT136 not available on date 2024-05-01");

    [Fact]
    public void BookReservation_UnknownFlight_IsNotFound() =>
        Tau.Airline().Call("book_reservation", BookingWith("55").Replace("HAT039", "HAT999", StringComparison.Ordinal))
            .ShouldFailWith("Error: flight HAT999 not found");

    [Fact]
    public void BookReservation_RefusedCall_ChangesNothing()
    {
        var toolbox = Tau.Airline();
        var before = toolbox.Call("get_user_details", """{"user_id": "mia_li_3668"}""").Text;
        toolbox.Call("book_reservation", BookingWith("54")).IsError.ShouldBeTrue();
        toolbox.Call("get_user_details", """{"user_id": "mia_li_3668"}""").Text.ShouldBe(before);
        toolbox.Call("get_reservation_details", """{"reservation_id": "HATHAT"}""").IsError.ShouldBeTrue();
    }
}
