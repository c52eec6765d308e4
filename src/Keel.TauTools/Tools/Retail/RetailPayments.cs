using System.Text.Json.Nodes;
using Keel.TauTools.Data;
using Keel.TauTools.Json;

namespace Keel.TauTools.Tools.Retail;

/// <summary>The order owner's payment methods, and gift card balances kept in cents as the reference rounds them.</summary>
internal static class RetailPayments
{
    /// <summary>The payment method of the order's user with this id, or null.</summary>
    public static JsonObject? Method(TauDatabase database, JsonObject order, string paymentId) =>
        database.Table("users").Find(order.Str("user_id"))?.Obj("payment_methods").Find(paymentId);

    /// <summary>Adds <paramref name="delta"/> (negative to debit) to a gift card's balance, then rounds it to cents (<c>round(balance, 2)</c>).</summary>
    public static void AddToBalance(JsonObject card, PyNumber delta) =>
        card["balance"] = (card.Num("balance") + delta).Round(2).ToNode();
}

/// <summary>A shipping address built from the six address arguments, in the reference's key order.</summary>
internal static class RetailAddress
{
    public static JsonObject From(ToolArguments arguments) => new()
    {
        ["address1"] = arguments.Text("address1"),
        ["address2"] = arguments.Text("address2"),
        ["city"] = arguments.Text("city"),
        ["state"] = arguments.Text("state"),
        ["country"] = arguments.Text("country"),
        ["zip"] = arguments.Text("zip"),
    };
}
