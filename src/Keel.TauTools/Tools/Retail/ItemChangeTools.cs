using System.Text.Json.Nodes;
using Keel.TauTools.Data;
using Keel.TauTools.Json;

namespace Keel.TauTools.Tools.Retail;

/// <summary>
/// Retail item changes to other variants of the same product: <c>modify_pending_order_items</c> (pending orders, applied
/// at once) and <c>exchange_delivered_order_items</c> (delivered orders, requested).
/// </summary>
/// <remarks>
/// Behaviour of tau-bench's <c>modify_pending_order_items.py</c> and <c>exchange_delivered_order_items.py</c>. Each listed
/// item must be in the order as many times as listed; each new item must be an available variant of the old item's
/// product; the price difference is Σ (new − old) in Python float arithmetic. A gift card must cover a positive
/// difference. Wiki: items of a pending order "can be modified only once", and a delivered order can be returned or
/// exchanged only once: both follow from the status each tool sets.
/// </remarks>
internal static class ItemChangeTools
{
    /// <summary>
    /// Swaps items of a pending order now: records a payment (difference &gt; 0) or refund of |difference|, debits or credits a
    /// gift card, updates each item's id, price and options, and sets the status to <c>pending (item modified)</c>.
    /// </summary>
    public static ToolOutcome ModifyPendingOrderItems(ToolContext context, ToolArguments arguments)
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

        var itemIds = arguments.Texts("item_ids");
        var newItemIds = arguments.Texts("new_item_ids");
        if (PriceDifference(database, order, itemIds, newItemIds, out var difference) is { } invalid)
        {
            return invalid;
        }

        var paymentId = arguments.Text("payment_method_id");
        if (RetailPayments.Method(database, order, paymentId) is not { } method)
        {
            return ToolOutcome.Error("payment method not found");
        }

        if (method.Str("source") == "gift_card" && method.Num("balance") < difference)
        {
            return ToolOutcome.Error("insufficient gift card balance to pay for the new item");
        }

        order.Arr("payment_history").Add(new JsonObject
        {
            ["transaction_type"] = difference > PyNumber.Zero ? "payment" : "refund",
            ["amount"] = difference.Abs().ToNode(),
            ["payment_method_id"] = paymentId,
        });
        if (method.Str("source") == "gift_card")
        {
            RetailPayments.AddToBalance(method, -difference);
        }

        var products = database.Table("products");
        foreach (var (itemId, newItemId) in itemIds.Zip(newItemIds))
        {
            var item = order.Objects("items").First(i => i.Str("item_id") == itemId);
            var variant = products.Obj(item.Str("product_id")).Obj("variants").Obj(newItemId);
            item["item_id"] = newItemId;
            item["price"] = variant["price"]?.DeepClone();
            item["options"] = variant["options"]?.DeepClone();
        }

        order["status"] = "pending (item modified)";
        return ToolOutcome.Ok(PyJson.Dumps(order));
    }

    /// <summary>
    /// Requests an exchange for items of a delivered order: sets the status to <c>exchange requested</c> and records the
    /// sorted old and new item ids, the payment method and the price difference rounded to cents. Nothing is charged yet.
    /// </summary>
    public static ToolOutcome ExchangeDeliveredOrderItems(ToolContext context, ToolArguments arguments)
    {
        var database = context.Database;
        if (database.Table("orders").Find(arguments.Text("order_id")) is not { } order)
        {
            return ToolOutcome.Error("order not found");
        }

        if (order.Str("status") != "delivered")
        {
            return ToolOutcome.Error("non-delivered order cannot be exchanged");
        }

        var itemIds = arguments.Texts("item_ids");
        var newItemIds = arguments.Texts("new_item_ids");
        if (PriceDifference(database, order, itemIds, newItemIds, out var difference) is { } invalid)
        {
            return invalid;
        }

        difference = difference.Round(2);
        var paymentId = arguments.Text("payment_method_id");
        if (RetailPayments.Method(database, order, paymentId) is not { } method)
        {
            return ToolOutcome.Error("payment method not found");
        }

        if (method.Str("source") == "gift_card" && method.Num("balance") < difference)
        {
            return ToolOutcome.Error("insufficient gift card balance to pay for the price difference");
        }

        order["status"] = "exchange requested";
        order["exchange_items"] = new JsonArray([.. itemIds.Order(StringComparer.Ordinal).Select(id => (JsonNode)id)]);
        order["exchange_new_items"] = new JsonArray([.. newItemIds.Order(StringComparer.Ordinal).Select(id => (JsonNode)id)]);
        order["exchange_payment_method_id"] = paymentId;
        order["exchange_price_difference"] = difference.ToNode();
        return ToolOutcome.Ok(PyJson.Dumps(order));
    }

    /// <summary>The reference's item checks, in its order; the summed price difference when they pass.</summary>
    private static ToolOutcome? PriceDifference(TauDatabase database, JsonObject order, IReadOnlyList<string> itemIds, IReadOnlyList<string> newItemIds, out PyNumber difference)
    {
        difference = PyNumber.Zero;
        if (ReturnTools.FirstMissingItem(order, itemIds) is { } missing)
        {
            return ToolOutcome.Error($"{missing} not found");
        }

        if (itemIds.Count != newItemIds.Count)
        {
            return ToolOutcome.Error("the number of items to be exchanged should match");
        }

        var products = database.Table("products");
        var items = order.Objects("items").ToList();
        foreach (var (itemId, newItemId) in itemIds.Zip(newItemIds))
        {
            var item = items.First(i => i.Str("item_id") == itemId);
            var productId = item.Str("product_id");
            if (products.Find(productId) is not { } product)
            {
                return ToolOutcome.KeyError(productId);
            }

            if (product.Obj("variants").Find(newItemId) is not { } variant || !variant.Bool("available"))
            {
                return ToolOutcome.Error($"new item {newItemId} not found or available");
            }

            difference += variant.Num("price") - item.Num("price");
        }

        return null;
    }
}
