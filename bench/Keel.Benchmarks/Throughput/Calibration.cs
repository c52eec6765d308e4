using System.Diagnostics;

namespace Keel.Benchmarks.Throughput;

/// <summary>How much parallel CPU this process gets right now: the same pure-CPU work on one thread and split over N.</summary>
internal static class Calibration
{
    private static long s_sink;

    public static double Measure(int threads)
    {
        const int work = 40_000_000;
        s_sink ^= (long)Spin(work / 10); // warm-up
        var start = Stopwatch.GetTimestamp();
        s_sink ^= (long)Spin(work);
        var one = Stopwatch.GetElapsedTime(start);
        start = Stopwatch.GetTimestamp();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => Interlocked.Add(ref s_sink, (long)Spin(work / threads)));
        var many = Stopwatch.GetElapsedTime(start);
        return one / many;
    }

    private static ulong Spin(int iterations)
    {
        var x = 0x9E3779B97F4A7C15UL;
        for (var i = 0; i < iterations; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }

        return x;
    }
}
