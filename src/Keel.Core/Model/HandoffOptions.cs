namespace Keel.Model;

/// <summary>How an agent version hands runs to humans.</summary>
/// <param name="Tools">Tools whose call means "transfer to a human", e.g. <c>transfer_to_human_agents</c>.</param>
/// <param name="Team">Default target team of handoff packets. The default is <c>support</c>.</param>
public sealed record HandoffOptions(IReadOnlyList<string> Tools, string Team = "support")
{
    /// <summary>No transfer tools, team <c>support</c>.</summary>
    public static HandoffOptions Default { get; } = new([]);

    /// <summary>Whether a tool call held for approval also pauses the run's replies while the approval is pending
    /// (<c>handoff: {pause_on_approval: true}</c> in <c>agent.yaml</c>): the run goes <see cref="RunStatus.Paused"/> instead of
    /// <see cref="RunStatus.AwaitingApproval"/>, with an intervention event whose actor is the approval (<c>approval:&lt;id&gt;</c>), and
    /// goes back to active, with a release event by the same actor, once the approval is granted or denied. Live only (docs/intervention.md).
    /// The default is <see langword="false"/>.</summary>
    public bool PauseOnApproval { get; init; }
}
