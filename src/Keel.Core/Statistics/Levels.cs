namespace Keel.Statistics;

/// <summary>Argument checks shared by the statistics functions.</summary>
internal static class Levels
{
    /// <summary>Throws unless <paramref name="level"/> is in (0, 1).</summary>
    public static void Check(double level, string name = "level")
    {
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(name, level, "A confidence level is in (0, 1), e.g. 0.95.");
        }
    }
}
