namespace Keel.Mcp.Live;

/// <summary>Settings of <see cref="LiveReplayDriver"/>.</summary>
/// <remarks>Plain settable properties; not thread-safe while being configured. The driver copies them when it is created.</remarks>
public sealed class LiveReplayOptions
{
    /// <summary>How many runs are replayed at once. A run's own steps are always sent one after another, in recorded order.</summary>
    /// <value>The default is 4.</value>
    public int Parallelism { get; set; } = 4;

    /// <summary>Put before every recorded run id to form the live run id, e.g. <c>pass-2-</c> to replay the same runs a second time
    /// against a server that already has them (run ids are unique per workspace).</summary>
    /// <value>The default is empty: the live run id is the recorded id.</value>
    public string RunIdPrefix { get; set; } = string.Empty;

    /// <summary>Whether each run is closed (<c>POST /v1/runs/{id}/close</c>) after its last step, which also releases a per-run upstream
    /// (<see cref="Upstream.RunScopedToolExecutor"/>).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool CloseRuns { get; set; } = true;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it and the fix.</exception>
    public void Validate()
    {
        if (Parallelism < 1)
        {
            throw new ArgumentException($"{nameof(Parallelism)} is {Parallelism}; replay at least 1 run at a time.", nameof(Parallelism));
        }

        ArgumentNullException.ThrowIfNull(RunIdPrefix, nameof(RunIdPrefix));
        if (RunIdPrefix.Length > 100)
        {
            throw new ArgumentException($"{nameof(RunIdPrefix)} has {RunIdPrefix.Length} characters; keep it to 100 so prefixed run ids fit the server's 200.", nameof(RunIdPrefix));
        }

        if (RunIdPrefix.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{nameof(RunIdPrefix)} '{RunIdPrefix}' holds a '/', which a run's URL cannot carry; use '-' or ':' instead.", nameof(RunIdPrefix));
        }
    }
}
