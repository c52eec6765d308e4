using System.Text.Json.Nodes;
using Keel.TauTools.Data;
using Keel.TauTools.Json;

namespace Keel.TauTools.Tools.Airline;

/// <summary>Airline read tools: <c>get_user_details</c>, <c>get_reservation_details</c>, <c>list_all_airports</c>.</summary>
/// <remarks>Behaviour of tau-bench's <c>tau_bench/envs/airline/tools/get_*.py</c> and <c>list_all_airports.py</c>.</remarks>
internal static class AirlineLookupTools
{
    /// <summary>The airports tau-bench's airline domain serves, IATA code → city, in the reference tool's order (<c>list_all_airports.py</c>).</summary>
    private static readonly (string Code, string City)[] _airports =
    [
        ("SFO", "San Francisco"), ("JFK", "New York"), ("LAX", "Los Angeles"), ("ORD", "Chicago"), ("DFW", "Dallas"),
        ("DEN", "Denver"), ("SEA", "Seattle"), ("ATL", "Atlanta"), ("MIA", "Miami"), ("BOS", "Boston"),
        ("PHX", "Phoenix"), ("IAH", "Houston"), ("LAS", "Las Vegas"), ("MCO", "Orlando"), ("EWR", "Newark"),
        ("CLT", "Charlotte"), ("MSP", "Minneapolis"), ("DTW", "Detroit"), ("PHL", "Philadelphia"), ("LGA", "LaGuardia"),
    ];

    /// <summary>The user's profile with payment methods and reservation ids; <c>Error: user not found</c>.</summary>
    public static ToolOutcome GetUserDetails(ToolContext context, ToolArguments arguments) =>
        context.Database.Table("users").Find(arguments.Text("user_id")) is { } user
            ? ToolOutcome.Ok(PyJson.Dumps(user))
            : ToolOutcome.Error("user not found");

    /// <summary>The reservation record. A missing one answers <c>Error: user not found</c>: the reference's text, kept for parity.</summary>
    public static ToolOutcome GetReservationDetails(ToolContext context, ToolArguments arguments) =>
        context.Database.Table("reservations").Find(arguments.Text("reservation_id")) is { } reservation
            ? ToolOutcome.Ok(PyJson.Dumps(reservation))
            : ToolOutcome.Error("user not found");

    /// <summary>A JSON object mapping each IATA code to its city.</summary>
    public static ToolOutcome ListAllAirports(ToolContext context, ToolArguments arguments)
    {
        var airports = new JsonObject();
        foreach (var (code, city) in _airports)
        {
            airports[code] = city;
        }

        return ToolOutcome.Ok(PyJson.Dumps(airports));
    }
}
