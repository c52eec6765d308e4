namespace Keel.Model;

/// <summary>An agent: a named behaviour whose configuration is released as immutable <see cref="AgentVersion"/>s.</summary>
/// <param name="WorkspaceId">The owning workspace.</param>
/// <param name="Name">Agent name, unique in its workspace, e.g. <c>tau-airline</c>.</param>
public sealed record Agent(string WorkspaceId, string Name);
