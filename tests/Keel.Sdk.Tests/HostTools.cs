using Microsoft.Extensions.AI;

namespace Keel.Sdk.Tests;

/// <summary>The host's own functions, counting how often each ran.</summary>
internal sealed class HostTools
{
    public int GetOrderRuns { get; private set; }

    public int RefundRuns { get; private set; }

    public int DeleteRuns { get; private set; }

    public IList<AITool> All => [
        AIFunctionFactory.Create((string order_id) => { GetOrderRuns++; return $"order {order_id}: shipped, 120 USD"; }, "get_order", "Look up an order."),
        AIFunctionFactory.Create((string order_id, double amount) => { RefundRuns++; return $"refunded {amount} on {order_id}"; }, "refund_order", "Refund an order."),
        AIFunctionFactory.Create((string user_id) => { DeleteRuns++; return $"deleted {user_id}"; }, "delete_account", "Delete a customer account."),
    ];
}
