using System.Text.Json.Nodes;
using Keel.TauTools.Data;
using Keel.TauTools.Json;

namespace Keel.TauTools.Tools.Airline;

/// <summary>Airline cancellation and compensation: <c>cancel_reservation</c> and <c>send_certificate</c>.</summary>
/// <remarks>
/// Behaviour of tau-bench's <c>cancel_reservation.py</c> and <c>send_certificate.py</c>. Whether a reservation may be
/// cancelled, or a certificate sent, is the policy's question (wiki: "The API does not check these for the agent").
/// </remarks>
internal static class CancellationTools
{
    /// <summary>
    /// Cancels the whole reservation: appends a refund (negated amount) for every entry of its payment history and sets
    /// <c>status</c> to <c>cancelled</c>. Answers the reservation as JSON.
    /// </summary>
    /// <remarks>As in the reference, gift card balances are not credited (the refund "will go to original payment
    /// methods in 5 to 7 business days") and a repeat appends the refunds again.</remarks>
    public static ToolOutcome CancelReservation(ToolContext context, ToolArguments arguments)
    {
        if (context.Database.Table("reservations").Find(arguments.Text("reservation_id")) is not { } reservation)
        {
            return ToolOutcome.Error("reservation not found");
        }

        var history = reservation.Arr("payment_history");
        var refunds = reservation.Objects("payment_history")
            .Select(payment => new JsonObject { ["payment_id"] = payment["payment_id"]?.DeepClone(), ["amount"] = (-payment.Num("amount")).ToNode() })
            .ToList();
        foreach (var refund in refunds)
        {
            history.Add(refund);
        }

        reservation["status"] = "cancelled";
        return ToolOutcome.Ok(PyJson.Dumps(reservation));
    }

    /// <summary>
    /// Adds a travel certificate of the amount to the user's payment methods, with id <c>certificate_3221322</c>, then
    /// <c>…323</c>, <c>…324</c> as the reference assigns them (and <c>…325</c> onwards, where the reference answers nothing).
    /// </summary>
    public static ToolOutcome SendCertificate(ToolContext context, ToolArguments arguments)
    {
        var userId = arguments.Text("user_id");
        if (context.Database.Table("users").Find(userId) is not { } user)
        {
            return ToolOutcome.Error("user not found");
        }

        var amount = arguments.Number("amount");
        var methods = user.Obj("payment_methods");
        var paymentId = Enumerable.Range(3221322, 1000).Select(id => $"certificate_{id}").First(id => !methods.ContainsKey(id));
        methods[paymentId] = new JsonObject { ["source"] = "certificate", ["amount"] = amount.ToNode(), ["id"] = paymentId };
        return ToolOutcome.Ok($"Certificate {paymentId} added to user {userId} with amount {amount}.");
    }
}
