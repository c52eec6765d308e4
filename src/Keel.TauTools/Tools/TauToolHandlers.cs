using Keel.TauTools.Tools.Airline;
using Keel.TauTools.Tools.Retail;
using Keel.TauTools.Tools.Shared;

namespace Keel.TauTools.Tools;

/// <summary>The implementation of every tool of each domain, by tool name.</summary>
internal static class TauToolHandlers
{
    private static readonly Dictionary<string, TauToolHandler> _airline = new(StringComparer.Ordinal)
    {
        ["book_reservation"] = BookingTools.BookReservation,
        ["calculate"] = GenericTools.Calculate,
        ["cancel_reservation"] = CancellationTools.CancelReservation,
        ["get_reservation_details"] = AirlineLookupTools.GetReservationDetails,
        ["get_user_details"] = AirlineLookupTools.GetUserDetails,
        ["list_all_airports"] = AirlineLookupTools.ListAllAirports,
        ["search_direct_flight"] = FlightSearchTools.SearchDirectFlight,
        ["search_onestop_flight"] = FlightSearchTools.SearchOnestopFlight,
        ["send_certificate"] = CancellationTools.SendCertificate,
        ["think"] = GenericTools.Think,
        ["transfer_to_human_agents"] = GenericTools.TransferToHumanAgents,
        ["update_reservation_baggages"] = ReservationChangeTools.UpdateReservationBaggages,
        ["update_reservation_flights"] = ReservationChangeTools.UpdateReservationFlights,
        ["update_reservation_passengers"] = ReservationChangeTools.UpdateReservationPassengers,
    };

    private static readonly Dictionary<string, TauToolHandler> _retail = new(StringComparer.Ordinal)
    {
        ["calculate"] = GenericTools.Calculate,
        ["cancel_pending_order"] = PendingOrderTools.CancelPendingOrder,
        ["exchange_delivered_order_items"] = ItemChangeTools.ExchangeDeliveredOrderItems,
        ["find_user_id_by_email"] = RetailLookupTools.FindUserIdByEmail,
        ["find_user_id_by_name_zip"] = RetailLookupTools.FindUserIdByNameZip,
        ["get_order_details"] = RetailLookupTools.GetOrderDetails,
        ["get_product_details"] = RetailLookupTools.GetProductDetails,
        ["get_user_details"] = RetailLookupTools.GetUserDetails,
        ["list_all_product_types"] = RetailLookupTools.ListAllProductTypes,
        ["modify_pending_order_address"] = PendingOrderTools.ModifyPendingOrderAddress,
        ["modify_pending_order_items"] = ItemChangeTools.ModifyPendingOrderItems,
        ["modify_pending_order_payment"] = PendingOrderTools.ModifyPendingOrderPayment,
        ["modify_user_address"] = UserProfileTools.ModifyUserAddress,
        ["return_delivered_order_items"] = ReturnTools.ReturnDeliveredOrderItems,
        ["think"] = GenericTools.Think,
        ["transfer_to_human_agents"] = GenericTools.TransferToHumanAgents,
    };

    public static IReadOnlyDictionary<string, TauToolHandler> For(TauDomain domain) => domain == TauDomain.Airline ? _airline : _retail;
}
