using System.Globalization;
using System.Text.Json.Nodes;
using Keel.TauTools.Data;
using Keel.TauTools.Json;

namespace Keel.TauTools.Tools.Airline;

/// <summary>Airline <c>book_reservation</c>: creates a reservation, checks seats and payment, charges gift cards and certificates.</summary>
/// <remarks>
/// Behaviour of tau-bench's <c>book_reservation.py</c>: price = Σ segment price × passengers + 30 × passengers with
/// insurance + 50 × non-free bags, in Python's int/float arithmetic; every payment method must be in the user's profile,
/// a gift card or certificate must cover its amount, the amounts must add up to the price exactly; then gift cards are
/// debited and certificates removed (their remainder is not refunded). Seats are not taken from the flights table
/// (the reference does not either). The reservation's <c>created_at</c> is the domain clock in EST.
/// </remarks>
internal static class BookingTools
{
    private static readonly TimeSpan _est = TimeSpan.FromHours(-5);

    /// <summary>Books; answers the new reservation as JSON.</summary>
    public static ToolOutcome BookReservation(ToolContext context, ToolArguments arguments)
    {
        var database = context.Database;
        var userId = arguments.Text("user_id");
        if (database.Table("users").Find(userId) is not { } user)
        {
            return ToolOutcome.Error("user not found");
        }

        var reservations = database.Table("reservations");
        var reservationId = NextReservationId(reservations);
        var cabin = arguments.Text("cabin");
        var segments = arguments.Objects("flights");
        var passengers = arguments.Objects("passengers");
        var payments = arguments.Objects("payment_methods");
        var nonfree = arguments.Number("nonfree_baggages");
        var insurance = arguments.Text("insurance");
        var reservation = new JsonObject
        {
            ["reservation_id"] = reservationId,
            ["user_id"] = userId,
            ["origin"] = arguments.Text("origin"),
            ["destination"] = arguments.Text("destination"),
            ["flight_type"] = arguments.Text("flight_type"),
            ["cabin"] = cabin,
            ["flights"] = new JsonArray([.. segments]),
            ["passengers"] = new JsonArray([.. passengers]),
            ["payment_history"] = new JsonArray([.. payments]),
            ["created_at"] = context.Clock.GetUtcNow().ToOffset(_est).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            ["total_baggages"] = arguments.Number("total_baggages").ToNode(),
            ["nonfree_baggages"] = nonfree.ToNode(),
            ["insurance"] = insurance,
        };

        var count = PyNumber.OfInt(passengers.Count);
        var total = PyNumber.Zero;
        foreach (var segment in segments)
        {
            if (FlightPricing.TryPrice(database.Table("flights"), segment, cabin, passengers.Count, out var price) is { } error)
            {
                return error;
            }

            total += price * count;
        }

        if (insurance == "yes")
        {
            total += PyNumber.OfInt(30) * count;
        }

        total += PyNumber.OfInt(50) * nonfree;

        var methods = user.Obj("payment_methods");
        foreach (var payment in payments)
        {
            var paymentId = payment.Str("payment_id");
            if (methods.Find(paymentId) is not { } method)
            {
                return ToolOutcome.Error($"payment method {paymentId} not found");
            }

            if (method.Str("source") is "gift_card" or "certificate" && method.Num("amount") < payment.Num("amount"))
            {
                return ToolOutcome.Error($"not enough balance in payment method {paymentId}");
            }
        }

        var paid = payments.Aggregate(PyNumber.Zero, (sum, payment) => sum + payment.Num("amount"));
        if (paid != total)
        {
            return ToolOutcome.Error($"payment amount does not add up, total price is {total}, but paid {paid}");
        }

        foreach (var payment in payments)
        {
            var paymentId = payment.Str("payment_id");
            if (methods.Find(paymentId) is not { } method)
            {
                return ToolOutcome.KeyError(paymentId); // the same certificate listed twice: already used up by the first
            }

            var source = method.Str("source");
            if (source == "gift_card")
            {
                method["amount"] = (method.Num("amount") - payment.Num("amount")).ToNode();
            }
            else if (source == "certificate")
            {
                methods.Remove(paymentId);
            }
        }

        reservations[reservationId] = reservation;
        user.Arr("reservations").Add(reservationId);
        return ToolOutcome.Ok(PyJson.Dumps(reservation));
    }

    /// <summary>
    /// HATHAT, HATHAU, HATHAV as the reference assigns them, then HATHAW, HATHAX, … for further bookings, where the
    /// reference would overwrite HATHAV.
    /// </summary>
    private static string NextReservationId(JsonObject reservations)
    {
        for (var n = 19; n < 26 * 26; n++)
        {
            var id = string.Concat("HATH", ((char)('A' + (n / 26))).ToString(), ((char)('A' + (n % 26))).ToString());
            if (!reservations.ContainsKey(id))
            {
                return id;
            }
        }

        throw new InvalidOperationException("no free reservation id left in HATHAT..HATHZZ: restart the server for a fresh database");
    }
}
