using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Tools.Airline;

public sealed class AirlineLookupToolsTests
{
    [Fact]
    public void GetUserDetails_KnownUser_AnswersProfileWithReservations()
    {
        var user = Tau.Airline().Call("get_user_details", """{"user_id": "mia_li_3668"}""").Object();
        user["membership"]!.GetValue<string>().ShouldBe("gold");
        user["reservations"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["NO6JO3", "AIXC49", "HKEG34"]);
    }

    [Fact]
    public void GetUserDetails_UnknownUser_AnswersUserNotFound() =>
        Tau.Airline().Call("get_user_details", """{"user_id": "nobody_1"}""").ShouldFailWith("Error: user not found");

    [Fact]
    public void GetReservationDetails_UnknownReservation_AnswersReferenceText() =>
        Tau.Airline().Call("get_reservation_details", """{"reservation_id": "ZZZZZZ"}""").ShouldFailWith("Error: user not found");

    [Fact]
    public void GetReservationDetails_KnownReservation_AnswersRecordAsPythonJson() =>
        Tau.Airline().Call("get_reservation_details", """{"reservation_id": "4WQ150"}""").Text
            .ShouldStartWith("""{"reservation_id": "4WQ150", "user_id": "chen_jackson_3290", "origin": "DFW", "destination": "LAX", "flight_type": "round_trip", "cabin": "business", "flights": [{"origin": "DFW", """);

    [Fact]
    public void ListAllAirports_NoArguments_AnswersTwentyAirportsInReferenceOrder()
    {
        var airports = Tau.Airline().Call("list_all_airports", "{}").Object();
        airports.Count.ShouldBe(20);
        airports.First().Key.ShouldBe("SFO");
        airports["LGA"]!.GetValue<string>().ShouldBe("LaGuardia");
    }
}
