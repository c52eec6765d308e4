using Keel.TauTools.Data;
using Keel.TauTools.Json;

namespace Keel.TauTools.Tools.Retail;

/// <summary>Retail <c>modify_user_address</c>.</summary>
/// <remarks>Behaviour of tau-bench's <c>modify_user_address.py</c>.</remarks>
internal static class UserProfileTools
{
    /// <summary>Replaces the user's default address. Answers the user's profile as JSON; <c>Error: user not found</c>.</summary>
    public static ToolOutcome ModifyUserAddress(ToolContext context, ToolArguments arguments)
    {
        if (context.Database.Table("users").Find(arguments.Text("user_id")) is not { } user)
        {
            return ToolOutcome.Error("user not found");
        }

        user["address"] = RetailAddress.From(arguments);
        return ToolOutcome.Ok(PyJson.Dumps(user));
    }
}
