namespace Keel.Tenancy;

/// <summary>What an API key may do in its workspace. Least privilege: each role may do only what its row in
/// docs/gateway-api.md lists.</summary>
public enum KeelRole
{
    /// <summary>An agent: opens and writes its own runs and proposes calls of the tools its agent version lists.</summary>
    Agent,

    /// <summary>A person who watches runs and decides approvals.</summary>
    Operator,

    /// <summary>An operator who also manages the workspace's keys and budgets.</summary>
    Admin,
}
