using System.Text.Json.Nodes;
using Keel.TauTools.Data;
using Keel.TauTools.Json;

namespace Keel.TauTools.Tools.Airline;

/// <summary>Prices one flight segment for booking or changing a reservation, with the reference's checks and texts.</summary>
internal static class FlightPricing
{
    /// <summary>
    /// Checks that the segment's flight flies on its date, is available and has seats for every passenger in the cabin,
    /// then writes the current price, origin and destination into the segment (as the reference does).
    /// </summary>
    /// <param name="flights">The flights table.</param>
    /// <param name="segment">A segment object with <c>flight_number</c> and <c>date</c>; changed in place.</param>
    /// <param name="cabin">basic_economy, economy or business.</param>
    /// <param name="passengers">The number of passengers.</param>
    /// <param name="price">The price of one seat.</param>
    /// <returns>Null when priced; otherwise the error the reference returns.</returns>
    public static ToolOutcome? TryPrice(JsonObject flights, JsonObject segment, string cabin, int passengers, out PyNumber price)
    {
        price = PyNumber.Zero;
        var number = segment.Str("flight_number");
        var date = segment.Str("date");
        if (flights.Find(number) is not { } flight)
        {
            return ToolOutcome.Error($"flight {number} not found");
        }

        if (flight.Obj("dates").Find(date) is not { } day)
        {
            return ToolOutcome.Error($"flight {number} not found on date {date}");
        }

        if (day.Str("status") != "available")
        {
            return ToolOutcome.Error($"flight {number} not available on date {date}");
        }

        if (!day.Obj("available_seats").ContainsKey(cabin))
        {
            return ToolOutcome.KeyError(cabin);
        }

        if (day.Obj("available_seats").Num(cabin) < PyNumber.OfInt(passengers))
        {
            return ToolOutcome.Error($"not enough seats on flight {number}");
        }

        if (!day.Obj("prices").ContainsKey(cabin))
        {
            return ToolOutcome.KeyError(cabin);
        }

        price = day.Obj("prices").Num(cabin);
        segment["price"] = price.ToNode();
        segment["origin"] = flight.Str("origin");
        segment["destination"] = flight.Str("destination");
        return null;
    }
}
