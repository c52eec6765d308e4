namespace Keel.Tenancy;

/// <summary>What an API key may do in its workspace. Least privilege: each role may do only what its row in
/// docs/gateway-api.md lists. Stored and sent as the snake_case name (<c>agent</c>, <c>operator</c>, <c>admin</c>,
/// <c>platform_admin</c>).</summary>
public enum KeelRole
{
    /// <summary>An agent: opens and writes its own runs and proposes calls of the tools its agent version lists.</summary>
    Agent,

    /// <summary>A person who watches runs and decides approvals.</summary>
    Operator,

    /// <summary>An operator who also manages the workspace's keys and budgets.</summary>
    Admin,

    /// <summary>An admin of its own workspace who also creates and lists workspaces and creates keys in any of them
    /// (<c>/v1/workspaces</c>). The first key of the bootstrap workspace has this role; docs/administration.md.</summary>
    PlatformAdmin,
}
