using Keel.Storage;

namespace Keel.Tenancy;

/// <summary>Role names and what each role includes, shared by the server, the <c>keel key</c> command and the stores.</summary>
public static class KeelRoles
{
    /// <summary>Every role's name as written on the wire, on the command line and in the store, comma-separated
    /// (<c>agent, operator, admin, platform_admin</c>).</summary>
    public static string Names { get; } = string.Join(", ", Enum.GetValues<KeelRole>().Select(Name));

    /// <summary>The role's snake_case name, e.g. <c>platform_admin</c>.</summary>
    /// <param name="role">The role.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> is not a defined role.</exception>
    public static string Name(KeelRole role) => RunEventJson.EnumName(role);

    /// <summary>Reads a role name (exact, snake_case).</summary>
    /// <param name="name">The name, e.g. <c>operator</c>.</param>
    /// <param name="role">The role when known.</param>
    /// <returns>Whether the name is a role.</returns>
    public static bool TryParse(string? name, out KeelRole role)
    {
        role = default;
        return name is not null && RunEventJson.TryParseEnumName(name, out role);
    }

    /// <summary>Whether a key with role <paramref name="held"/> may do what <paramref name="required"/> may: a platform admin
    /// includes an admin, an admin includes an operator; an agent includes nothing else and nothing includes an agent.</summary>
    /// <param name="held">The key's role.</param>
    /// <param name="required">The role an action needs.</param>
    /// <returns>Whether allowed.</returns>
    public static bool Includes(KeelRole held, KeelRole required) =>
        held == required || (held, required) is (KeelRole.Admin, KeelRole.Operator) or (KeelRole.PlatformAdmin, KeelRole.Admin or KeelRole.Operator);

    /// <summary>Checks that a key's agent fits its role: an agent key names the agent it acts for, no other role names one.</summary>
    /// <param name="role">The role.</param>
    /// <param name="agent">The agent, or <see langword="null"/>.</param>
    /// <returns>What is wrong, or <see langword="null"/> when it fits.</returns>
    public static string? CheckAgent(KeelRole role, string? agent) =>
        (role == KeelRole.Agent) == !string.IsNullOrWhiteSpace(agent)
            ? null
            : role == KeelRole.Agent ? "an agent key needs the agent it acts for" : $"only agent keys name an agent, not {Name(role)} keys";
}
