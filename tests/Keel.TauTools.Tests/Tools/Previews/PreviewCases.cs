using Xunit;

namespace Keel.TauTools.Tests.Tools.Previews;

/// <summary>One successful call of every write tool of both domains, with the records it touches (<c>table/id</c>).</summary>
internal static class PreviewCases
{
    public const string Booking = """
        {"user_id": "mia_li_3668", "origin": "JFK", "destination": "SEA", "flight_type": "one_way", "cabin": "economy",
         "flights": [{"flight_number": "HAT136", "date": "2024-05-20"}, {"flight_number": "HAT039", "date": "2024-05-20"}],
         "passengers": [{"first_name": "Mia", "last_name": "Li", "dob": "1990-04-05"}],
         "payment_methods": [{"payment_id": "certificate_7504069", "amount": 250}, {"payment_id": "credit_card_4421486", "amount": 55}],
         "total_baggages": 3, "nonfree_baggages": 1, "insurance": "no"}
        """;

    public const string Obut9vToBasicEconomyOnGiftCard = """
        {"reservation_id": "OBUT9V", "cabin": "basic_economy", "payment_id": "gift_card_7091239",
         "flights": [{"flight_number": "HAT078", "date": "2024-05-27"}, {"flight_number": "HAT118", "date": "2024-05-27"},
                     {"flight_number": "HAT084", "date": "2024-05-28"}, {"flight_number": "HAT266", "date": "2024-05-28"}]}
        """;

    public const string ModifyToCheaperOnGiftCard = """{"order_id": "#W4923227", "item_ids": ["7751905257"], "new_item_ids": ["9440686670"], "payment_method_id": "gift_card_8245350"}""";

    /// <summary>Domain, write tool, arguments, the touched records the preview shows.</summary>
    public static TheoryData<TauDomain, string, string, string[]> Writes => new()
    {
        { TauDomain.Airline, "book_reservation", Booking, ["reservations/HATHAT", "users/mia_li_3668"] },
        { TauDomain.Airline, "cancel_reservation", """{"reservation_id": "YAX4DR"}""", ["reservations/YAX4DR"] },
        { TauDomain.Airline, "update_reservation_flights", Obut9vToBasicEconomyOnGiftCard, ["reservations/OBUT9V", "users/sofia_kim_7287"] },
        { TauDomain.Airline, "update_reservation_baggages", """{"reservation_id": "YAX4DR", "total_baggages": 2, "nonfree_baggages": 1, "payment_id": "credit_card_4938634"}""", ["reservations/YAX4DR"] },
        { TauDomain.Airline, "update_reservation_passengers", """{"reservation_id": "YAX4DR", "passengers": [{"first_name": "Chen", "last_name": "Lee", "dob": "1967-12-12"}, {"first_name": "Ana", "last_name": "Silva", "dob": "1990-02-03"}]}""", ["reservations/YAX4DR"] },
        { TauDomain.Airline, "send_certificate", """{"user_id": "chen_lee_6825", "amount": 150}""", ["users/chen_lee_6825"] },
        { TauDomain.Retail, "cancel_pending_order", """{"order_id": "#W4923227", "reason": "ordered by mistake"}""", ["orders/#W4923227"] },
        { TauDomain.Retail, "modify_pending_order_address", """{"order_id": "#W4923227", "address1": "1 Main St", "address2": "", "city": "Austin", "state": "TX", "country": "USA", "zip": "78701"}""", ["orders/#W4923227"] },
        { TauDomain.Retail, "modify_pending_order_payment", """{"order_id": "#W4923227", "payment_method_id": "paypal_1621947"}""", ["orders/#W4923227"] },
        { TauDomain.Retail, "modify_pending_order_items", ModifyToCheaperOnGiftCard, ["orders/#W4923227", "users/isabella_lopez_6490"] },
        { TauDomain.Retail, "exchange_delivered_order_items", """{"order_id": "#W4250821", "item_ids": ["5222576926"], "new_item_ids": ["7706410293"], "payment_method_id": "credit_card_8041020"}""", ["orders/#W4250821"] },
        { TauDomain.Retail, "return_delivered_order_items", """{"order_id": "#W4250821", "item_ids": ["9970989750", "5222576926"], "payment_method_id": "gift_card_6052478"}""", ["orders/#W4250821"] },
        { TauDomain.Retail, "modify_user_address", """{"user_id": "noah_brown_6181", "address1": "9 Elm St", "address2": "Apt 2", "city": "Boston", "state": "MA", "country": "USA", "zip": "02108"}""", ["users/noah_brown_6181"] },
    };

    /// <summary>Domain, write tool, arguments, the error the write answers.</summary>
    public static TheoryData<TauDomain, string, string, string> Failures => new()
    {
        { TauDomain.Airline, "cancel_reservation", """{"reservation_id": "NOPE00"}""", "Error: reservation not found" },
        { TauDomain.Airline, "update_reservation_flights", Obut9vToBasicEconomyOnGiftCard.Replace("basic_economy", "business", StringComparison.Ordinal), "Error: gift card balance is not enough" },
        { TauDomain.Airline, "book_reservation", Booking.Replace("\"amount\": 55", "\"amount\": 5.0", StringComparison.Ordinal), "Error: payment amount does not add up, total price is 305, but paid 255.0" },
        { TauDomain.Airline, "update_reservation_baggages", """{"reservation_id": "YAX4DR"}""", "Error: invoke() missing 3 required positional arguments: 'total_baggages', 'nonfree_baggages', and 'payment_id'" },
        { TauDomain.Retail, "cancel_pending_order", """{"order_id": "#W2611340", "reason": "no longer needed"}""", "Error: non-pending order cannot be cancelled" },
        { TauDomain.Retail, "modify_pending_order_payment", """{"order_id": "#W4923227", "payment_method_id": "gift_card_8245350"}""", "Error: insufficient gift card balance to pay for the order" },
        { TauDomain.Retail, "return_delivered_order_items", """{"order_id": "#W4250821", "item_ids": ["7706410293"], "payment_method_id": "credit_card_8041020"}""", "Error: some item not found" },
    };
}
