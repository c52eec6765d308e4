namespace Keel.Mcp.Live;

/// <summary>Where a live replay stands, reported after each run finishes.</summary>
/// <param name="RunsDone">Runs finished (replayed or stopped by an error).</param>
/// <param name="RunsTotal">Runs to replay.</param>
/// <param name="CallsDone">Tool calls proposed so far, over all finished runs.</param>
/// <param name="LastRun">The run that just finished.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record LiveReplayProgress(int RunsDone, int RunsTotal, int CallsDone, LiveReplayedRun LastRun);
