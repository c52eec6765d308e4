namespace Keel.Diagnostics;

/// <summary>What the telemetry stage puts on its spans beyond the defaults.</summary>
/// <remarks>Immutable once handed to a stage; safe to share.</remarks>
public sealed record TelemetryOptions
{
    /// <summary>The defaults: no content on spans.</summary>
    public static TelemetryOptions Default { get; } = new();

    /// <summary>Whether spans carry content: the arguments (<c>gen_ai.tool.call.arguments</c>), a successful call's result
    /// (<c>gen_ai.tool.call.result</c>) — both Opt-In in the GenAI semantic conventions because they may hold personal data —
    /// and the decision's sentence (<c>keel.decision.reason</c>), which may quote arguments.
    /// <value>The default is <see langword="false"/>: spans carry names, ids and decisions only.</value></summary>
    public bool CaptureContent { get; init; }
}
