using System.Text.Json.Nodes;
using Keel.TauTools.Data;
using Keel.TauTools.Json;

namespace Keel.TauTools.Tools.Retail;

/// <summary>
/// Retail changes to a pending order: <c>cancel_pending_order</c>, <c>modify_pending_order_address</c>,
/// <c>modify_pending_order_payment</c>.
/// </summary>
/// <remarks>
/// Behaviour of tau-bench's <c>cancel_pending_order.py</c>, <c>modify_pending_order_address.py</c> and
/// <c>modify_pending_order_payment.py</c>. Wiki: "An order can only be cancelled if its status is 'pending'"; a gift card
/// is refunded at once, other methods "in 5-7 business days" (recorded as a refund entry only). Balances are rounded to
/// cents after every change. Each tool answers the order as JSON.
/// </remarks>
internal static class PendingOrderTools
{
    private static readonly string[] _cancelReasons = ["no longer needed", "ordered by mistake"];

    /// <summary>Cancels a pending order for one of the two allowed reasons and refunds every payment.</summary>
    public static ToolOutcome CancelPendingOrder(ToolContext context, ToolArguments arguments)
    {
        var database = context.Database;
        if (database.Table("orders").Find(arguments.Text("order_id")) is not { } order)
        {
            return ToolOutcome.Error("order not found");
        }

        if (order.Str("status") != "pending")
        {
            return ToolOutcome.Error("non-pending order cannot be cancelled");
        }

        var reason = arguments.Text("reason");
        if (!_cancelReasons.Contains(reason, StringComparer.Ordinal))
        {
            return ToolOutcome.Error("invalid reason");
        }

        var refunds = new List<JsonObject>();
        foreach (var payment in order.Objects("payment_history").ToList())
        {
            var paymentId = payment.Str("payment_method_id");
            refunds.Add(new JsonObject
            {
                ["transaction_type"] = "refund",
                ["amount"] = payment["amount"]?.DeepClone(),
                ["payment_method_id"] = paymentId,
            });
            if (paymentId.Contains("gift_card", StringComparison.Ordinal))
            {
                if (RetailPayments.Method(database, order, paymentId) is not { } card)
                {
                    return ToolOutcome.KeyError(paymentId);
                }

                RetailPayments.AddToBalance(card, payment.Num("amount"));
            }
        }

        order["status"] = "cancelled";
        order["cancel_reason"] = reason;
        foreach (var refund in refunds)
        {
            order.Arr("payment_history").Add(refund);
        }

        return ToolOutcome.Ok(PyJson.Dumps(order));
    }

    /// <summary>Replaces the shipping address of a pending order.</summary>
    public static ToolOutcome ModifyPendingOrderAddress(ToolContext context, ToolArguments arguments)
    {
        if (context.Database.Table("orders").Find(arguments.Text("order_id")) is not { } order)
        {
            return ToolOutcome.Error("order not found");
        }

        if (order.Str("status") != "pending")
        {
            return ToolOutcome.Error("non-pending order cannot be modified");
        }

        order["address"] = RetailAddress.From(arguments);
        return ToolOutcome.Ok(PyJson.Dumps(order));
    }

    /// <summary>
    /// Moves the single payment of a pending order to another method of the user: appends the new payment and a refund
    /// of the old one; a gift card must cover the whole amount and is debited, a gift card paid before is credited.
    /// </summary>
    public static ToolOutcome ModifyPendingOrderPayment(ToolContext context, ToolArguments arguments)
    {
        var database = context.Database;
        if (database.Table("orders").Find(arguments.Text("order_id")) is not { } order)
        {
            return ToolOutcome.Error("order not found");
        }

        if (order.Str("status") != "pending")
        {
            return ToolOutcome.Error("non-pending order cannot be modified");
        }

        var paymentId = arguments.Text("payment_method_id");
        if (RetailPayments.Method(database, order, paymentId) is not { } method)
        {
            return ToolOutcome.Error("payment method not found");
        }

        var history = order.Objects("payment_history").ToList();
        if (history.Count == 0)
        {
            return ToolOutcome.Error("list index out of range");
        }

        if (history.Count > 1 || history[0].Str("transaction_type") != "payment")
        {
            return ToolOutcome.Error("there should be exactly one payment for a pending order");
        }

        var oldId = history[0].Str("payment_method_id");
        if (oldId == paymentId)
        {
            return ToolOutcome.Error("the new payment method should be different from the current one");
        }

        var amount = history[0].Num("amount");
        if (method.Str("source") == "gift_card" && method.Num("balance") < amount)
        {
            return ToolOutcome.Error("insufficient gift card balance to pay for the order");
        }

        var log = order.Arr("payment_history");
        log.Add(new JsonObject { ["transaction_type"] = "payment", ["amount"] = amount.ToNode(), ["payment_method_id"] = paymentId });
        log.Add(new JsonObject { ["transaction_type"] = "refund", ["amount"] = amount.ToNode(), ["payment_method_id"] = oldId });
        if (method.Str("source") == "gift_card")
        {
            RetailPayments.AddToBalance(method, -amount);
        }

        if (oldId.Contains("gift_card", StringComparison.Ordinal))
        {
            if (RetailPayments.Method(database, order, oldId) is not { } old)
            {
                return ToolOutcome.KeyError(oldId);
            }

            RetailPayments.AddToBalance(old, amount);
        }

        return ToolOutcome.Ok(PyJson.Dumps(order));
    }
}
