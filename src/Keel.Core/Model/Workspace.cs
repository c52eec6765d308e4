namespace Keel.Model;

/// <summary>A tenant: every run, event and key belongs to exactly one workspace.</summary>
/// <param name="Id">Stable workspace id, e.g. <c>default</c>.</param>
/// <param name="Name">Display name.</param>
public sealed record Workspace(string Id, string Name)
{
    /// <summary>The workspace used when none is configured (<c>default</c>).</summary>
    public static Workspace Default { get; } = new("default", "Default workspace");
}
