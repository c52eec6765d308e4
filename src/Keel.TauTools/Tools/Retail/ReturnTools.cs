using System.Text.Json.Nodes;
using Keel.TauTools.Data;
using Keel.TauTools.Json;

namespace Keel.TauTools.Tools.Retail;

/// <summary>Retail <c>return_delivered_order_items</c>.</summary>
/// <remarks>
/// Behaviour of tau-bench's <c>return_delivered_order_items.py</c>. Wiki: "An order can only be returned if its status is
/// 'delivered'"; "The refund must either go to the original payment method, or an existing gift card."
/// </remarks>
internal static class ReturnTools
{
    /// <summary>
    /// Requests a return of items of a delivered order: sets the status to <c>return requested</c> and records the sorted
    /// item ids and the refund method. Answers the order as JSON.
    /// </summary>
    public static ToolOutcome ReturnDeliveredOrderItems(ToolContext context, ToolArguments arguments)
    {
        var database = context.Database;
        if (database.Table("orders").Find(arguments.Text("order_id")) is not { } order)
        {
            return ToolOutcome.Error("order not found");
        }

        if (order.Str("status") != "delivered")
        {
            return ToolOutcome.Error("non-delivered order cannot be returned");
        }

        var paymentId = arguments.Text("payment_method_id");
        if (RetailPayments.Method(database, order, paymentId) is null)
        {
            return ToolOutcome.Error("payment method not found");
        }

        var history = order.Objects("payment_history").ToList();
        if (!paymentId.Contains("gift_card", StringComparison.Ordinal))
        {
            if (history.Count == 0)
            {
                return ToolOutcome.Error("list index out of range");
            }

            if (paymentId != history[0].Str("payment_method_id"))
            {
                return ToolOutcome.Error("payment method should be either the original payment method or a gift card");
            }
        }

        var itemIds = arguments.Texts("item_ids");
        if (FirstMissingItem(order, itemIds) is not null)
        {
            return ToolOutcome.Error("some item not found");
        }

        order["status"] = "return requested";
        order["return_items"] = new JsonArray([.. itemIds.Order(StringComparer.Ordinal).Select(id => (JsonNode)id)]);
        order["return_payment_method_id"] = paymentId;
        return ToolOutcome.Ok(PyJson.Dumps(order));
    }

    /// <summary>The first listed item id that is listed more often than the order holds it (duplicates allowed), or null.</summary>
    public static string? FirstMissingItem(JsonObject order, IReadOnlyList<string> itemIds)
    {
        var held = order.Objects("items").Select(i => i.Str("item_id")).ToList();
        return itemIds.FirstOrDefault(id => itemIds.Count(x => x == id) > held.Count(x => x == id));
    }
}
