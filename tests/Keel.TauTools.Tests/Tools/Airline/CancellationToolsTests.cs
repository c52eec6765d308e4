using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Tools.Airline;

public sealed class CancellationToolsTests
{
    [Fact]
    public void CancelReservation_Known_AppendsNegatedRefundsAndMarksCancelled()
    {
        var reservation = Tau.Airline().Call("cancel_reservation", """{"reservation_id": "YAX4DR"}""").Object();
        reservation["status"]!.GetValue<string>().ShouldBe("cancelled");
        reservation["payment_history"]!.ToJsonString().ShouldBe("""[{"payment_id":"credit_card_4938634","amount":498},{"payment_id":"credit_card_4938634","amount":-498}]""");
    }

    [Fact]
    public void CancelReservation_Unknown_IsNotFound() =>
        Tau.Airline().Call("cancel_reservation", """{"reservation_id": "NOPE00"}""").ShouldFailWith("Error: reservation not found");

    [Fact]
    public void SendCertificate_Repeated_AddsCertificatesWithReferenceIdsAndAmountText()
    {
        var toolbox = Tau.Airline();
        toolbox.Call("send_certificate", """{"user_id": "chen_lee_6825", "amount": 150}""").Text
            .ShouldBe("Certificate certificate_3221322 added to user chen_lee_6825 with amount 150.");
        toolbox.Call("send_certificate", """{"user_id": "chen_lee_6825", "amount": 100.0}""").Text
            .ShouldBe("Certificate certificate_3221323 added to user chen_lee_6825 with amount 100.0.");
        toolbox.Call("send_certificate", """{"user_id": "chen_lee_6825", "amount": 50}""").IsError.ShouldBeFalse();
        toolbox.Call("send_certificate", """{"user_id": "chen_lee_6825", "amount": 50}""").Text.ShouldContain("certificate_3221325");

        var certificate = toolbox.Call("get_user_details", """{"user_id": "chen_lee_6825"}""").Object()["payment_methods"]!["certificate_3221322"]!;
        certificate.ToJsonString().ShouldBe("""{"source":"certificate","amount":150,"id":"certificate_3221322"}""");
    }

    [Fact]
    public void SendCertificate_UnknownUser_IsNotFound() =>
        Tau.Airline().Call("send_certificate", """{"user_id": "nobody_1", "amount": 100}""").ShouldFailWith("Error: user not found");
}
