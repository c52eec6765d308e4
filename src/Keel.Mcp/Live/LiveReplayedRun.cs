using Keel.Replay;

namespace Keel.Mcp.Live;

/// <summary>One recorded run replayed through the live gateway.</summary>
/// <param name="Recorded">The recorded run.</param>
/// <param name="RunId">The live run's id (<see cref="LiveReplayOptions.RunIdPrefix"/> + the recorded id).</param>
/// <param name="Calls">The assistant tool calls proposed, in recorded order, with the gateway's answers.</param>
/// <param name="MessagesSent">How many recorded messages were appended to the live run.</param>
/// <param name="StepsNotSent">Recorded steps the API has no request for: customer-side tool calls (tau2 telecom), which Keel records
/// but does not govern, and operator messages.</param>
/// <param name="Error">Why the run stopped early — the server's problem (e.g. <c>Run exists (HTTP 409)</c>) or a network failure —
/// or <see langword="null"/> when every step was sent.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record LiveReplayedRun(RecordedRun Recorded, string RunId, IReadOnlyList<LiveCall> Calls, int MessagesSent, int StepsNotSent, string? Error)
{
    /// <summary>Whether every step was sent (and, when asked, the run was closed).</summary>
    public bool Completed => Error is null;
}
