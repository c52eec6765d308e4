using System.Text.Json.Nodes;
using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Tools.Airline;

public sealed class FlightSearchToolsTests
{
    [Fact]
    public void SearchDirectFlight_RouteAndDate_AnswersOnlyAvailableFlightsWithThatDatesSeatsAndPrices()
    {
        var flights = Tau.Airline().Call("search_direct_flight", """{"origin": "JFK", "destination": "ATL", "date": "2024-05-20"}""").Array();
        flights.ShouldNotBeEmpty();
        foreach (var flight in flights.Select(f => f!.AsObject()))
        {
            flight["origin"]!.GetValue<string>().ShouldBe("JFK");
            flight["destination"]!.GetValue<string>().ShouldBe("ATL");
            flight["status"]!.GetValue<string>().ShouldBe("available");
            flight.ContainsKey("dates").ShouldBeFalse();
            flight["prices"]!["economy"].ShouldNotBeNull();
        }

        flights.Select(f => f!["flight_number"]!.GetValue<string>()).ShouldContain("HAT136");
    }

    [Fact]
    public void SearchDirectFlight_PastDate_AnswersNoFlight() =>
        Tau.Airline().Call("search_direct_flight", """{"origin": "JFK", "destination": "ATL", "date": "2024-05-01"}""").Text.ShouldBe("[]");

    [Fact]
    public void SearchOnestopFlight_RouteAndDate_AnswersConnectingPairsWithDates()
    {
        var pairs = Tau.Airline().Call("search_onestop_flight", """{"origin": "JFK", "destination": "SEA", "date": "2024-05-20"}""").Array();
        pairs.ShouldNotBeEmpty();
        foreach (var pair in pairs.Select(p => p!.AsArray()))
        {
            var (first, second) = (pair[0]!.AsObject(), pair[1]!.AsObject());
            first["origin"]!.GetValue<string>().ShouldBe("JFK");
            second["destination"]!.GetValue<string>().ShouldBe("SEA");
            second["origin"]!.GetValue<string>().ShouldBe(first["destination"]!.GetValue<string>());
            first["date"]!.GetValue<string>().ShouldBe("2024-05-20");
            string.CompareOrdinal(first["scheduled_arrival_time_est"]!.GetValue<string>(), second["scheduled_departure_time_est"]!.GetValue<string>()).ShouldBeLessThanOrEqualTo(0);
        }

        pairs.ShouldContain(p => p![0]!["flight_number"]!.GetValue<string>() == "HAT136" && p[1]!["flight_number"]!.GetValue<string>() == "HAT039");
    }

    [Fact]
    public void SearchOnestopFlight_OvernightFirstLeg_DatesSecondLegNextDay()
    {
        // HAT002 LGA→PHX lands at 01:30:00+1; HAT045 PHX→SEA leaves at 23:00:00.
        var pairs = Tau.Airline().Call("search_onestop_flight", """{"origin": "LGA", "destination": "SEA", "date": "2024-05-16"}""").Array();
        var overnight = pairs.Select(p => p!.AsArray()).Single(p => p[0]!["flight_number"]!.GetValue<string>() == "HAT002" && p[1]!["flight_number"]!.GetValue<string>() == "HAT045");
        overnight[0]!["date"]!.GetValue<string>().ShouldBe("2024-05-16");
        overnight[1]!["date"]!.GetValue<string>().ShouldBe("2024-05-17");
    }
}
