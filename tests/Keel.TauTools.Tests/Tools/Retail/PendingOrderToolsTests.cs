using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Tools.Retail;

/// <summary>
/// Wiki: "An order can only be cancelled if its status is 'pending'"; a gift card refund is immediate; a payment change
/// needs a different method, and a gift card must cover the total.
/// </summary>
public sealed class PendingOrderToolsTests
{
    // #W4923227 (isabella_lopez_6490): pending, paid 321.18 by credit_card_8554680; she also has paypal_1621947 and gift_card_8245350 (balance 60).
    // #W6779827 (ethan_lopez_6291): pending, paid 4079.45 by gift_card_7219486 (balance 49). #W2611340: processed.
    [Fact]
    public void CancelPendingOrder_PaidByCard_RecordsRefundAndReason()
    {
        var order = Tau.Retail().Call("cancel_pending_order", """{"order_id": "#W4923227", "reason": "ordered by mistake"}""").Object();
        order["status"]!.GetValue<string>().ShouldBe("cancelled");
        order["cancel_reason"]!.GetValue<string>().ShouldBe("ordered by mistake");
        order["payment_history"]![1]!.ToJsonString().ShouldBe("""{"transaction_type":"refund","amount":321.18,"payment_method_id":"credit_card_8554680"}""");
    }

    [Fact]
    public void CancelPendingOrder_PaidByGiftCard_RefundsBalanceAtOnceInCents()
    {
        var toolbox = Tau.Retail();
        toolbox.Call("cancel_pending_order", """{"order_id": "#W6779827", "reason": "no longer needed"}""").IsError.ShouldBeFalse();
        toolbox.Call("get_user_details", """{"user_id": "ethan_lopez_6291"}""").Object()["payment_methods"]!["gift_card_7219486"]!["balance"]!.GetValue<double>().ShouldBe(4128.45);
    }

    [Fact]
    public void CancelPendingOrder_ProcessedOrder_IsRefused() =>
        Tau.Retail().Call("cancel_pending_order", """{"order_id": "#W2611340", "reason": "no longer needed"}""").ShouldFailWith("Error: non-pending order cannot be cancelled");

    [Fact]
    public void CancelPendingOrder_OtherReason_IsRefused() =>
        Tau.Retail().Call("cancel_pending_order", """{"order_id": "#W4923227", "reason": "found it cheaper"}""").ShouldFailWith("Error: invalid reason");

    [Fact]
    public void CancelPendingOrder_Twice_SecondIsRefused()
    {
        var toolbox = Tau.Retail();
        toolbox.Call("cancel_pending_order", """{"order_id": "#W4923227", "reason": "no longer needed"}""").IsError.ShouldBeFalse();
        toolbox.Call("cancel_pending_order", """{"order_id": "#W4923227", "reason": "no longer needed"}""").ShouldFailWith("Error: non-pending order cannot be cancelled");
    }

    [Fact]
    public void ModifyPendingOrderAddress_Pending_ReplacesShippingAddress() =>
        Tau.Retail().Call("modify_pending_order_address", """{"order_id": "#W4923227", "address1": "1 Main St", "address2": "", "city": "Austin", "state": "TX", "country": "USA", "zip": "78701"}""")
            .Object()["address"]!.ToJsonString().ShouldBe("""{"address1":"1 Main St","address2":"","city":"Austin","state":"TX","country":"USA","zip":"78701"}""");

    [Fact]
    public void ModifyPendingOrderAddress_ProcessedOrder_IsRefused() =>
        Tau.Retail().Call("modify_pending_order_address", """{"order_id": "#W2611340", "address1": "1 Main St", "address2": "", "city": "Austin", "state": "TX", "country": "USA", "zip": "78701"}""")
            .ShouldFailWith("Error: non-pending order cannot be modified");

    [Fact]
    public void ModifyPendingOrderPayment_OtherMethod_RecordsNewPaymentAndRefundOfOld()
    {
        var history = Tau.Retail().Call("modify_pending_order_payment", """{"order_id": "#W4923227", "payment_method_id": "paypal_1621947"}""").Object()["payment_history"]!;
        history.ToJsonString().ShouldBe(
            """[{"transaction_type":"payment","amount":321.18,"payment_method_id":"credit_card_8554680"},{"transaction_type":"payment","amount":321.18,"payment_method_id":"paypal_1621947"},{"transaction_type":"refund","amount":321.18,"payment_method_id":"credit_card_8554680"}]""");
    }

    [Fact]
    public void ModifyPendingOrderPayment_SameMethod_IsRefused() =>
        Tau.Retail().Call("modify_pending_order_payment", """{"order_id": "#W4923227", "payment_method_id": "credit_card_8554680"}""")
            .ShouldFailWith("Error: the new payment method should be different from the current one");

    [Fact]
    public void ModifyPendingOrderPayment_GiftCardBelowTotal_IsRefused() =>
        Tau.Retail().Call("modify_pending_order_payment", """{"order_id": "#W4923227", "payment_method_id": "gift_card_8245350"}""")
            .ShouldFailWith("Error: insufficient gift card balance to pay for the order");

    [Fact]
    public void ModifyPendingOrderPayment_AnotherUsersMethod_IsNotFound() =>
        Tau.Retail().Call("modify_pending_order_payment", """{"order_id": "#W4923227", "payment_method_id": "gift_card_7219486"}""")
            .ShouldFailWith("Error: payment method not found");

    [Fact]
    public void ModifyPendingOrderPayment_SecondChange_IsRefused()
    {
        var toolbox = Tau.Retail();
        toolbox.Call("modify_pending_order_payment", """{"order_id": "#W4923227", "payment_method_id": "paypal_1621947"}""").IsError.ShouldBeFalse();
        toolbox.Call("modify_pending_order_payment", """{"order_id": "#W4923227", "payment_method_id": "credit_card_8897086"}""")
            .ShouldFailWith("Error: there should be exactly one payment for a pending order");
    }
}
