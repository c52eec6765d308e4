namespace Keel.Model;

/// <summary>Loop guard settings of an agent version.</summary>
/// <param name="MaxRepeats">The same call fingerprint (tool + canonical arguments) allowed this many times per run; the next one is a loop. The default is 3.</param>
/// <param name="MaxStepsWithoutProgress">Tool calls in a row that add no new information (a result already seen, or no result) before the run is a no-progress loop. The default is 10.</param>
public sealed record LoopGuardOptions(int MaxRepeats = 3, int MaxStepsWithoutProgress = 10)
{
    /// <summary>The defaults.</summary>
    public static LoopGuardOptions Default { get; } = new();
}
