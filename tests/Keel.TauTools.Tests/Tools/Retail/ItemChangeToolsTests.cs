using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Tools.Retail;

/// <summary>
/// Wiki: a pending order's items can be modified once, to available variants of the same product; a delivered order can be
/// exchanged (or returned) once; the user pays or receives the price difference.
/// </summary>
public sealed class ItemChangeToolsTests
{
    // #W4923227 (pending, isabella_lopez_6490): item 7751905257 at 321.18 of product 4768869376, whose variant 9440686670
    // costs 298.91 and 5967152432 is unavailable. #W4250821 (delivered, sophia_jackson_6355, paid by credit_card_8041020):
    // item 5222576926 at 249.95 → variant 7706410293 at 269.16; item 9970989750 of another product.
    private const string ModifyToCheaper = """{"order_id": "#W4923227", "item_ids": ["7751905257"], "new_item_ids": ["9440686670"], "payment_method_id": "gift_card_8245350"}""";

    [Fact]
    public void ModifyPendingOrderItems_CheaperVariantOnGiftCard_RefundsDifferenceAndSwapsItem()
    {
        var toolbox = Tau.Retail();
        var order = toolbox.Call("modify_pending_order_items", ModifyToCheaper).Object();
        order["status"]!.GetValue<string>().ShouldBe("pending (item modified)");
        order["items"]![0]!["item_id"]!.GetValue<string>().ShouldBe("9440686670");
        order["items"]![0]!["price"]!.GetValue<double>().ShouldBe(298.91);
        order["payment_history"]!.AsArray().Last()!.ToJsonString()
            .ShouldBe("""{"transaction_type":"refund","amount":22.269999999999982,"payment_method_id":"gift_card_8245350"}""");
        toolbox.Call("get_user_details", """{"user_id": "isabella_lopez_6490"}""").Object()["payment_methods"]!["gift_card_8245350"]!["balance"]!.GetValue<double>().ShouldBe(82.27);
    }

    [Fact]
    public void ModifyPendingOrderItems_SecondModification_IsRefused()
    {
        var toolbox = Tau.Retail();
        toolbox.Call("modify_pending_order_items", ModifyToCheaper).IsError.ShouldBeFalse();
        toolbox.Call("modify_pending_order_items", ModifyToCheaper).ShouldFailWith("Error: non-pending order cannot be modified");
    }

    [Fact]
    public void ModifyPendingOrderItems_UnavailableVariant_IsRefused() =>
        Tau.Retail().Call("modify_pending_order_items", ModifyToCheaper.Replace("9440686670", "5967152432", StringComparison.Ordinal))
            .ShouldFailWith("Error: new item 5967152432 not found or available");

    [Fact]
    public void ModifyPendingOrderItems_ItemListedTwiceButHeldOnce_IsNotFound() =>
        Tau.Retail().Call("modify_pending_order_items", """{"order_id": "#W4923227", "item_ids": ["7751905257", "7751905257"], "new_item_ids": ["9440686670", "9440686670"], "payment_method_id": "paypal_1621947"}""")
            .ShouldFailWith("Error: 7751905257 not found");

    [Fact]
    public void ModifyPendingOrderItems_CountsDiffer_IsRefused() =>
        Tau.Retail().Call("modify_pending_order_items", """{"order_id": "#W4923227", "item_ids": ["7751905257"], "new_item_ids": [], "payment_method_id": "paypal_1621947"}""")
            .ShouldFailWith("Error: the number of items to be exchanged should match");

    [Fact]
    public void ExchangeDeliveredOrderItems_PricierVariant_RequestsExchangeWithRoundedDifference()
    {
        var order = Tau.Retail().Call("exchange_delivered_order_items", """{"order_id": "#W4250821", "item_ids": ["5222576926"], "new_item_ids": ["7706410293"], "payment_method_id": "credit_card_8041020"}""").Object();
        order["status"]!.GetValue<string>().ShouldBe("exchange requested");
        order["exchange_price_difference"]!.GetValue<double>().ShouldBe(19.21);
        order["exchange_new_items"]!.ToJsonString().ShouldBe("""["7706410293"]""");
    }

    [Fact]
    public void ExchangeDeliveredOrderItems_Twice_SecondIsRefused()
    {
        var toolbox = Tau.Retail();
        const string exchange = """{"order_id": "#W4250821", "item_ids": ["5222576926"], "new_item_ids": ["7706410293"], "payment_method_id": "credit_card_8041020"}""";
        toolbox.Call("exchange_delivered_order_items", exchange).IsError.ShouldBeFalse();
        toolbox.Call("exchange_delivered_order_items", exchange).ShouldFailWith("Error: non-delivered order cannot be exchanged");
    }

    [Fact]
    public void ExchangeDeliveredOrderItems_PendingOrder_IsRefused() =>
        Tau.Retail().Call("exchange_delivered_order_items", ModifyToCheaper).ShouldFailWith("Error: non-delivered order cannot be exchanged");

    [Fact]
    public void ExchangeDeliveredOrderItems_VariantOfAnotherProduct_IsRefused() =>
        Tau.Retail().Call("exchange_delivered_order_items", """{"order_id": "#W4250821", "item_ids": ["5222576926"], "new_item_ids": ["9970989750"], "payment_method_id": "credit_card_8041020"}""")
            .ShouldFailWith("Error: new item 9970989750 not found or available");

    [Fact]
    public void ExchangeDeliveredOrderItems_GiftCardBelowDifference_IsRefused() =>
        Tau.Retail().Call("exchange_delivered_order_items", """{"order_id": "#W4250821", "item_ids": ["5222576926"], "new_item_ids": ["7706410293"], "payment_method_id": "gift_card_6052478"}""")
            .ShouldFailWith("Error: insufficient gift card balance to pay for the price difference");
}
