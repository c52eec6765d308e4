using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Tools.Retail;

/// <summary>Wiki: only delivered orders can be returned; "The refund must either go to the original payment method, or an existing gift card."</summary>
public sealed class ReturnToolsTests
{
    // #W4250821 (delivered, sophia_jackson_6355): paid by credit_card_8041020; she also has credit_card_6547060 and gift_card_6052478.
    [Fact]
    public void ReturnDeliveredOrderItems_ToGiftCard_RequestsReturnWithSortedItems()
    {
        var order = Tau.Retail().Call("return_delivered_order_items", """{"order_id": "#W4250821", "item_ids": ["9970989750", "5222576926"], "payment_method_id": "gift_card_6052478"}""").Object();
        order["status"]!.GetValue<string>().ShouldBe("return requested");
        order["return_items"]!.ToJsonString().ShouldBe("""["5222576926","9970989750"]""");
        order["return_payment_method_id"]!.GetValue<string>().ShouldBe("gift_card_6052478");
    }

    [Fact]
    public void ReturnDeliveredOrderItems_ToOriginalCard_IsAccepted() =>
        Tau.Retail().Call("return_delivered_order_items", """{"order_id": "#W4250821", "item_ids": ["5222576926"], "payment_method_id": "credit_card_8041020"}""").IsError.ShouldBeFalse();

    [Fact]
    public void ReturnDeliveredOrderItems_ToAnotherCard_IsRefused() =>
        Tau.Retail().Call("return_delivered_order_items", """{"order_id": "#W4250821", "item_ids": ["5222576926"], "payment_method_id": "credit_card_6547060"}""")
            .ShouldFailWith("Error: payment method should be either the original payment method or a gift card");

    [Fact]
    public void ReturnDeliveredOrderItems_ItemNotInOrder_IsRefused() =>
        Tau.Retail().Call("return_delivered_order_items", """{"order_id": "#W4250821", "item_ids": ["7706410293"], "payment_method_id": "credit_card_8041020"}""")
            .ShouldFailWith("Error: some item not found");

    [Fact]
    public void ReturnDeliveredOrderItems_ProcessedOrder_IsRefused() =>
        Tau.Retail().Call("return_delivered_order_items", """{"order_id": "#W2611340", "item_ids": ["6469567736"], "payment_method_id": "credit_card_8041020"}""")
            .ShouldFailWith("Error: non-delivered order cannot be returned");

    [Fact]
    public void ReturnDeliveredOrderItems_AfterReturnRequested_SecondRequestIsRefused()
    {
        var toolbox = Tau.Retail();
        const string returnOne = """{"order_id": "#W4250821", "item_ids": ["5222576926"], "payment_method_id": "credit_card_8041020"}""";
        toolbox.Call("return_delivered_order_items", returnOne).IsError.ShouldBeFalse();
        toolbox.Call("return_delivered_order_items", returnOne).ShouldFailWith("Error: non-delivered order cannot be returned");
    }
}
