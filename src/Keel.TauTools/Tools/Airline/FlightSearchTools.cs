using System.Globalization;
using System.Text.Json.Nodes;
using Keel.TauTools.Data;
using Keel.TauTools.Json;

namespace Keel.TauTools.Tools.Airline;

/// <summary>Airline flight search: <c>search_direct_flight</c> and <c>search_onestop_flight</c>.</summary>
/// <remarks>
/// Behaviour of tau-bench's <c>search_direct_flight.py</c> and <c>search_onestop_flight.py</c>: only dates whose status is
/// <c>available</c>; each result is the flight without its <c>dates</c>, merged with that date's status, seats and prices.
/// Flights are visited in database order, and so are the results.
/// </remarks>
internal static class FlightSearchTools
{
    /// <summary>Direct flights: a JSON array of flights from origin to destination available on the date.</summary>
    public static ToolOutcome SearchDirectFlight(ToolContext context, ToolArguments arguments)
    {
        var origin = arguments.Text("origin");
        var destination = arguments.Text("destination");
        var date = arguments.Text("date");
        var results = new JsonArray();
        foreach (var (_, node) in context.Database.Table("flights"))
        {
            var flight = (JsonObject)node!;
            if (flight.Str("origin") == origin && flight.Str("destination") == destination
                && flight.Obj("dates").Find(date) is { } day && day.Str("status") == "available")
            {
                results.Add(Merge(flight, day));
            }
        }

        return ToolOutcome.Ok(PyJson.Dumps(results));
    }

    /// <summary>
    /// One-stop connections: a JSON array of <c>[first leg, second leg]</c> pairs, each leg with its <c>date</c>.
    /// </summary>
    /// <remarks>
    /// Reference behaviour kept for parity: the second leg departs the next day when the first leg's arrival time carries
    /// <c>+1</c>, and that date is written as <c>2024-05-{day + 1}</c> without zero padding (so only days 10 to 30 can
    /// connect overnight); the connection needs the first leg's arrival time (as text) not after the second leg's
    /// departure; and the second leg's status, seats and prices are those of the <em>first</em> leg's date.
    /// </remarks>
    public static ToolOutcome SearchOnestopFlight(ToolContext context, ToolArguments arguments)
    {
        var origin = arguments.Text("origin");
        var destination = arguments.Text("destination");
        var date = arguments.Text("date");
        var flights = context.Database.Table("flights").Select(entry => (JsonObject)entry.Value!).ToList();
        var results = new JsonArray();
        foreach (var first in flights.Where(f => f.Str("origin") == origin))
        {
            foreach (var second in flights.Where(f => f.Str("destination") == destination && first.Str("destination") == f.Str("origin")))
            {
                var arrival = first.Str("scheduled_arrival_time_est");
                var secondDate = date;
                if (arrival.Contains("+1", StringComparison.Ordinal))
                {
                    var dayText = date.Length <= 2 ? date : date[^2..];
                    if (!TryParsePythonInt(dayText, out var day))
                    {
                        return ToolOutcome.Error($"invalid literal for int() with base 10: {PyText.Repr(dayText)}");
                    }

                    secondDate = string.Create(CultureInfo.InvariantCulture, $"2024-05-{day + 1}");
                }

                if (string.CompareOrdinal(arrival, second.Str("scheduled_departure_time_est")) > 0)
                {
                    continue;
                }

                var firstDates = first.Obj("dates");
                var secondDates = second.Obj("dates");
                if (firstDates.Find(date) is not { } firstDay || secondDates.Find(secondDate) is not { } secondDay
                    || firstDay.Str("status") != "available" || secondDay.Str("status") != "available")
                {
                    continue;
                }

                if (secondDates.Find(date) is not { } secondDayAsPrinted)
                {
                    return ToolOutcome.KeyError(date);
                }

                var firstLeg = Merge(first, firstDay);
                firstLeg["date"] = date;
                var secondLeg = Merge(second, secondDayAsPrinted);
                secondLeg["date"] = secondDate;
                results.Add(new JsonArray(firstLeg, secondLeg));
            }
        }

        return ToolOutcome.Ok(PyJson.Dumps(results));
    }

    private static JsonObject Merge(JsonObject flight, JsonObject day)
    {
        var result = new JsonObject();
        foreach (var (key, value) in flight)
        {
            if (key != "dates")
            {
                result[key] = value?.DeepClone();
            }
        }

        foreach (var (key, value) in day)
        {
            result[key] = value?.DeepClone();
        }

        return result;
    }

    /// <summary>Python's <c>int(text)</c> for base 10: surrounding whitespace, a sign, digits with single underscores between them.</summary>
    private static bool TryParsePythonInt(string text, out long value)
    {
        var trimmed = text.Trim();
        var digits = trimmed.TrimStart('+', '-');
        value = 0;
        if (trimmed.Length - digits.Length > 1 || digits.Length == 0 || !char.IsAsciiDigit(digits[0]) || !char.IsAsciiDigit(digits[^1])
            || digits.Contains("__", StringComparison.Ordinal) || digits.Any(c => c != '_' && !char.IsAsciiDigit(c)))
        {
            return false;
        }

        value = long.Parse(digits.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        value = trimmed.StartsWith('-') ? -value : value;
        return true;
    }
}
