namespace Keel.Execution;

/// <summary>Exponential backoff with "equal jitter" (Marc Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015):
/// retry n waits a uniform random delay in [c / 2, c), where c = min(MaxDelay, BaseDelay × 2^(n−1)); without jitter it waits c.</summary>
/// <remarks>Equal rather than full jitter keeps a floor of half the ceiling, so a retry storm still backs off while concurrent
/// retries spread out, and the bounds are easy to state and check. Thread-safe (<see cref="Random.Shared"/>).</remarks>
internal static class Backoff
{
    /// <summary>The delay before retry <paramref name="retry"/> (1-based).</summary>
    public static TimeSpan Delay(ExecutionOptions settings, int retry)
    {
        var ceiling = settings.DelayCeiling(retry);
        if (!settings.UseJitter)
        {
            return ceiling;
        }

#pragma warning disable CA5394 // jitter, not security
        return (ceiling / 2) + ((ceiling / 2) * Random.Shared.NextDouble());
#pragma warning restore CA5394
    }
}
