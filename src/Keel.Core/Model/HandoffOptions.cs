namespace Keel.Model;

/// <summary>How an agent version hands runs to humans.</summary>
/// <param name="Tools">Tools whose call means "transfer to a human", e.g. <c>transfer_to_human_agents</c>.</param>
/// <param name="Team">Default target team of handoff packets. The default is <c>support</c>.</param>
public sealed record HandoffOptions(IReadOnlyList<string> Tools, string Team = "support")
{
    /// <summary>No transfer tools, team <c>support</c>.</summary>
    public static HandoffOptions Default { get; } = new([]);
}
