namespace Keel.Statistics;

/// <summary>The argument checks shared by the tests of two rates (<see cref="TwoProportion"/>, <see cref="FisherExact"/>).</summary>
internal static class TwoSamples
{
    /// <summary>Checks the counts of two samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A sample is empty, or a success count is negative or above its sample size.</exception>
    public static void CheckCounts(int successes1, int trials1, int successes2, int trials2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials1, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials2, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(successes1);
        ArgumentOutOfRangeException.ThrowIfNegative(successes2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes1, trials1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes2, trials2);
    }
}
