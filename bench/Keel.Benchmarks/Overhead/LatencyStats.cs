namespace Keel.Benchmarks.Overhead;

/// <summary>Percentiles of latencies in microseconds (nearest rank on the sorted sample).</summary>
internal sealed record LatencyStats(int Count, double P50, double P90, double P99, double Max)
{
    /// <summary>The 95th percentile (nearest rank), NaN for no sample.</summary>
    public double P95 { get; init; } = double.NaN;

    public static LatencyStats Of(IReadOnlyCollection<double> microseconds)
    {
        if (microseconds.Count == 0)
        {
            return new LatencyStats(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var sorted = microseconds.Order().ToArray();
        return new LatencyStats(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), sorted[^1]) { P95 = Rank(sorted, 0.95) };
    }

    private static double Rank(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
