using System.Text.Json.Nodes;
using Keel.TauTools.Data;
using Keel.TauTools.Json;

namespace Keel.TauTools.Tools.Retail;

/// <summary>
/// Retail read tools: <c>find_user_id_by_email</c>, <c>find_user_id_by_name_zip</c>, <c>get_user_details</c>,
/// <c>get_order_details</c>, <c>get_product_details</c>, <c>list_all_product_types</c>.
/// </summary>
/// <remarks>Behaviour of tau-bench's <c>tau_bench/envs/retail/tools/find_*.py</c>, <c>get_*.py</c> and <c>list_all_product_types.py</c>.</remarks>
internal static class RetailLookupTools
{
    /// <summary>The user id (plain text) of the first user whose email matches, ignoring case; <c>Error: user not found</c>.</summary>
    public static ToolOutcome FindUserIdByEmail(ToolContext context, ToolArguments arguments)
    {
        var email = arguments.Text("email");
        foreach (var (userId, user) in context.Database.Table("users"))
        {
            if (string.Equals(user!.Str("email"), email, StringComparison.OrdinalIgnoreCase))
            {
                return ToolOutcome.Ok(userId);
            }
        }

        return ToolOutcome.Error("user not found");
    }

    /// <summary>The user id (plain text) of the first user with this first and last name (ignoring case) and zip code; <c>Error: user not found</c>.</summary>
    public static ToolOutcome FindUserIdByNameZip(ToolContext context, ToolArguments arguments)
    {
        var first = arguments.Text("first_name");
        var last = arguments.Text("last_name");
        var zip = arguments.Text("zip");
        foreach (var (userId, node) in context.Database.Table("users"))
        {
            var user = (JsonObject)node!;
            var name = user.Obj("name");
            if (string.Equals(name.Str("first_name"), first, StringComparison.OrdinalIgnoreCase)
                && string.Equals(name.Str("last_name"), last, StringComparison.OrdinalIgnoreCase)
                && user.Obj("address").Str("zip") == zip)
            {
                return ToolOutcome.Ok(userId);
            }
        }

        return ToolOutcome.Error("user not found");
    }

    /// <summary>The user's profile with address, payment methods and order ids; <c>Error: user not found</c>.</summary>
    public static ToolOutcome GetUserDetails(ToolContext context, ToolArguments arguments) =>
        Dump(context.Database.Table("users"), arguments.Text("user_id"), "user not found");

    /// <summary>The order with status, items, fulfillments and payment history; <c>Error: order not found</c>.</summary>
    public static ToolOutcome GetOrderDetails(ToolContext context, ToolArguments arguments) =>
        Dump(context.Database.Table("orders"), arguments.Text("order_id"), "order not found");

    /// <summary>The product with every variant (item id, options, availability, price); <c>Error: product not found</c>.</summary>
    public static ToolOutcome GetProductDetails(ToolContext context, ToolArguments arguments) =>
        Dump(context.Database.Table("products"), arguments.Text("product_id"), "product not found");

    /// <summary>A JSON object mapping each product name to its product id, sorted by name (ordinal, as Python sorts strings).</summary>
    public static ToolOutcome ListAllProductTypes(ToolContext context, ToolArguments arguments)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, node) in context.Database.Table("products"))
        {
            var product = (JsonObject)node!;
            byName[product.Str("name")] = product.Str("product_id");
        }

        var result = new JsonObject();
        foreach (var (name, id) in byName.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            result[name] = id;
        }

        return ToolOutcome.Ok(PyJson.Dumps(result));
    }

    private static ToolOutcome Dump(JsonObject table, string id, string notFound) =>
        table.Find(id) is { } record ? ToolOutcome.Ok(PyJson.Dumps(record)) : ToolOutcome.Error(notFound);
}
