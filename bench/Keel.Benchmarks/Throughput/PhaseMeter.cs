using System.Diagnostics;

namespace Keel.Benchmarks.Throughput;

/// <summary>What one timed phase did: runs, wall time, CPU time of the process, bytes allocated and GC pause.</summary>
internal sealed record PhaseSample(int Runs, TimeSpan Wall, TimeSpan Cpu, long AllocatedBytes, TimeSpan GcPause, int Gen2)
{
    public double RunsPerSecond => Runs / Wall.TotalSeconds;

    public double MicrosPerRun => Wall.TotalMicroseconds / Runs;

    /// <summary>CPU time over wall time: 1.0 is one core busy all along, 2.0 both cores of this machine.</summary>
    public double CoresBusy => Cpu / Wall;

    public double KiBPerRun => AllocatedBytes / 1024.0 / Runs;

    /// <summary>Measures <paramref name="phase"/>, which returns how many runs it processed.</summary>
    public static async Task<PhaseSample> MeasureAsync(Func<Task<int>> phase)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var alloc0 = GC.GetTotalAllocatedBytes(precise: true);
        var pause0 = GC.GetTotalPauseDuration();
        var gen20 = GC.CollectionCount(2);
        var start = Stopwatch.GetTimestamp();
        var runs = await phase();
        var wall = Stopwatch.GetElapsedTime(start);
        process.Refresh();
        return new PhaseSample(
            runs,
            wall,
            process.TotalProcessorTime - cpu0,
            GC.GetTotalAllocatedBytes(precise: true) - alloc0,
            GC.GetTotalPauseDuration() - pause0,
            GC.CollectionCount(2) - gen20);
    }
}
