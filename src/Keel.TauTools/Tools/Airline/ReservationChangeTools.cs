using System.Text.Json.Nodes;
using Keel.TauTools.Data;
using Keel.TauTools.Json;

namespace Keel.TauTools.Tools.Airline;

/// <summary>Airline changes to a reservation: <c>update_reservation_flights</c>, <c>update_reservation_baggages</c>, <c>update_reservation_passengers</c>.</summary>
/// <remarks>
/// Behaviour of tau-bench's <c>update_reservation_*.py</c>. The policy rules the wiki states (basic economy cannot change
/// flights, same origin and destination, bags only added) are the agent's to follow: "The API does not check these for
/// the agent". Payment: a certificate is refused; a gift card must cover the charge and is debited (or credited, for a
/// negative difference); any non-zero difference is appended to <c>payment_history</c>.
/// </remarks>
internal static class ReservationChangeTools
{
    /// <summary>
    /// Replaces the reservation's flights; a segment already in the reservation keeps its price when the cabin is
    /// unchanged, other segments are priced now. Answers the reservation as JSON.
    /// </summary>
    /// <remarks>As in the reference, the reservation's <c>cabin</c> field is not changed and seats are not taken.</remarks>
    public static ToolOutcome UpdateReservationFlights(ToolContext context, ToolArguments arguments)
    {
        var database = context.Database;
        if (database.Table("reservations").Find(arguments.Text("reservation_id")) is not { } reservation)
        {
            return ToolOutcome.Error("reservation not found");
        }

        var cabin = arguments.Text("cabin");
        var passengers = reservation.Arr("passengers").Count;
        var count = PyNumber.OfInt(passengers);
        var current = reservation.Objects("flights").ToList();
        var segments = arguments.Objects("flights");
        var total = PyNumber.Zero;
        foreach (var segment in segments)
        {
            var kept = cabin == reservation.Str("cabin")
                ? current.FirstOrDefault(f => f.Str("flight_number") == segment.Str("flight_number") && f.Str("date") == segment.Str("date"))
                : null;
            if (kept is not null)
            {
                total += kept.Num("price") * count;
                segment["price"] = kept["price"]?.DeepClone();
                segment["origin"] = kept["origin"]?.DeepClone();
                segment["destination"] = kept["destination"]?.DeepClone();
                continue;
            }

            if (FlightPricing.TryPrice(database.Table("flights"), segment, cabin, passengers, out var price) is { } error)
            {
                return error;
            }

            total += price * count;
        }

        total -= current.Aggregate(PyNumber.Zero, (sum, f) => sum + f.Num("price")) * count;

        if (Charge(database, reservation, arguments.Text("payment_id"), total) is { } refused)
        {
            return refused;
        }

        reservation["flights"] = new JsonArray([.. segments]);
        return ToolOutcome.Ok(PyJson.Dumps(reservation));
    }

    /// <summary>Sets the bag counts; charges 50 per non-free bag added. Answers the reservation as JSON.</summary>
    public static ToolOutcome UpdateReservationBaggages(ToolContext context, ToolArguments arguments)
    {
        var database = context.Database;
        if (database.Table("reservations").Find(arguments.Text("reservation_id")) is not { } reservation)
        {
            return ToolOutcome.Error("reservation not found");
        }

        var nonfree = arguments.Number("nonfree_baggages");
        var total = PyNumber.OfInt(50) * PyNumber.Max(PyNumber.Zero, nonfree - reservation.Num("nonfree_baggages"));
        if (Check(database, reservation, arguments.Text("payment_id"), total) is { } refused)
        {
            return refused;
        }

        reservation["total_baggages"] = arguments.Number("total_baggages").ToNode();
        reservation["nonfree_baggages"] = nonfree.ToNode();
        _ = Charge(database, reservation, arguments.Text("payment_id"), total);
        return ToolOutcome.Ok(PyJson.Dumps(reservation));
    }

    /// <summary>Replaces the passengers; their number must stay the same. Answers the reservation as JSON.</summary>
    public static ToolOutcome UpdateReservationPassengers(ToolContext context, ToolArguments arguments)
    {
        if (context.Database.Table("reservations").Find(arguments.Text("reservation_id")) is not { } reservation)
        {
            return ToolOutcome.Error("reservation not found");
        }

        var passengers = arguments.Objects("passengers");
        if (passengers.Count != reservation.Arr("passengers").Count)
        {
            return ToolOutcome.Error("number of passengers does not match");
        }

        reservation["passengers"] = new JsonArray([.. passengers]);
        return ToolOutcome.Ok(PyJson.Dumps(reservation));
    }

    /// <summary>The payment checks of the reference, in its order; null when the payment method may pay <paramref name="total"/>.</summary>
    private static ToolOutcome? Check(Data.TauDatabase database, JsonObject reservation, string paymentId, PyNumber total)
    {
        var userId = reservation.Str("user_id");
        if (database.Table("users").Find(userId) is not { } user)
        {
            return ToolOutcome.KeyError(userId);
        }

        if (user.Obj("payment_methods").Find(paymentId) is not { } method)
        {
            return ToolOutcome.Error("payment method not found");
        }

        return method.Str("source") switch
        {
            "certificate" => ToolOutcome.Error("certificate cannot be used to update reservation"),
            "gift_card" when method.Num("amount") < total => ToolOutcome.Error("gift card balance is not enough"),
            _ => null,
        };
    }

    /// <summary>Checks, then debits a gift card by <paramref name="total"/> and records a non-zero total in the payment history.</summary>
    private static ToolOutcome? Charge(Data.TauDatabase database, JsonObject reservation, string paymentId, PyNumber total)
    {
        if (Check(database, reservation, paymentId, total) is { } refused)
        {
            return refused;
        }

        var method = database.Table("users").Obj(reservation.Str("user_id")).Obj("payment_methods").Obj(paymentId);
        if (method.Str("source") == "gift_card")
        {
            method["amount"] = (method.Num("amount") - total).ToNode();
        }

        if (total != PyNumber.Zero)
        {
            reservation.Arr("payment_history").Add(new JsonObject { ["payment_id"] = paymentId, ["amount"] = total.ToNode() });
        }

        return null;
    }
}
