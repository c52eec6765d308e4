using System.Diagnostics;

namespace Keel.Benchmarks.Overhead;

/// <summary>One load path: the same tool call made some way (direct to the tool server, or through Keel).</summary>
internal interface ILoadPath
{
    string Name { get; }

    /// <summary>Makes call number <paramref name="sequence"/> of this path; true when it answered as expected.</summary>
    Task<bool> CallAsync(long sequence);
}

/// <summary>What one path measured at one rate. Latencies in microseconds: from the call's scheduled time (so a late send counts,
/// and coordinated omission cannot hide a stall) and from its actual send; lag is send minus schedule.</summary>
internal sealed class PathRecord(string name)
{
    private readonly Lock _lock = new();
    private readonly List<double> _fromSchedule = [];
    private readonly List<double> _fromSend = [];
    private readonly List<double> _lag = [];
    private int _inFlight;

    public string Name { get; } = name;

    public int Sent { get; private set; }

    public int Errors { get; private set; }

    public int Dropped { get; private set; }

    public double ScheduledSeconds { get; set; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public LatencyStats FromSchedule { get { lock (_lock) { return LatencyStats.Of(_fromSchedule); } } }

    public LatencyStats FromSend { get { lock (_lock) { return LatencyStats.Of(_fromSend); } } }

    public LatencyStats Lag { get { lock (_lock) { return LatencyStats.Of(_lag); } } }

    public void Drop() => Dropped++;

    public void Started()
    {
        Sent++;
        Interlocked.Increment(ref _inFlight);
    }

    public void Completed(bool ok, double fromSchedule, double fromSend, double lag)
    {
        Interlocked.Decrement(ref _inFlight);
        lock (_lock)
        {
            if (!ok)
            {
                Errors++;
                return;
            }

            _fromSchedule.Add(fromSchedule);
            _fromSend.Add(fromSend);
            _lag.Add(lag);
        }
    }
}

/// <summary>A bounded open-loop load driver: calls are sent on a fixed schedule (rate per second) whether or not earlier ones have
/// answered, up to a bound of calls in flight per path; the paths take turns in blocks, so noise on the machine hits each. A block
/// ends when its calls have answered, so paths do not overlap.</summary>
internal static class OpenLoop
{
    private static readonly double TicksPerMicrosecond = Stopwatch.Frequency / 1_000_000.0;

    /// <summary>Drives every path for <paramref name="perPath"/> at <paramref name="rate"/> calls/s, in alternating blocks; waits for every call.</summary>
    public static async Task RunAsync(IReadOnlyList<(ILoadPath Path, PathRecord Record)> paths, Func<ILoadPath, long> nextSequence, int rate, TimeSpan perPath, TimeSpan block, int maxInFlight)
    {
        var pending = new List<Task>();
        var blocks = (int)Math.Ceiling(perPath / block);
        var thread = new Thread(() =>
        {
            for (var b = 0; b < blocks; b++)
            {
                var length = b == blocks - 1 ? perPath - (block * (blocks - 1)) : block;
                foreach (var (path, record) in paths)
                {
                    Drive(path, record, nextSequence, rate, length, maxInFlight, pending);
                }
            }
        })
        { IsBackground = true, Priority = ThreadPriority.AboveNormal, Name = "open-loop dispatcher" };
        thread.Start();
        await Task.Run(thread.Join).ConfigureAwait(false);
        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    private static void Drive(ILoadPath path, PathRecord record, Func<ILoadPath, long> nextSequence, int rate, TimeSpan length, int maxInFlight, List<Task> pending)
    {
        var arrivals = (int)Math.Round(length.TotalSeconds * rate);
        var interval = (double)Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < arrivals; i++)
        {
            var due = start + (long)(i * interval);
            WaitUntil(due);
            var sequence = nextSequence(path);
            if (record.InFlight >= maxInFlight)
            {
                record.Drop();
                continue;
            }

            record.Started();
            pending.Add(MeasureAsync(path, record, sequence, due));
        }

        record.ScheduledSeconds += length.TotalSeconds;
        WaitUntil(start + (long)(arrivals * interval));

        // The next path's block starts once this one's calls have answered (at most 10 s), so one path's backlog is not measured as
        // the next path's latency.
        var drainUntil = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        while (record.InFlight > 0 && Stopwatch.GetTimestamp() < drainUntil)
        {
            NativeSleep.Microseconds(200);
        }
    }

    private static async Task MeasureAsync(ILoadPath path, PathRecord record, long sequence, long due)
    {
        var sent = Stopwatch.GetTimestamp();
        bool ok;
        try
        {
            ok = await path.CallAsync(sequence).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ok = false;
        }

        var end = Stopwatch.GetTimestamp();
        record.Completed(ok, (end - due) / TicksPerMicrosecond, (end - sent) / TicksPerMicrosecond, (sent - due) / TicksPerMicrosecond);
    }

    /// <summary>Sleeps in microseconds until about 100 µs before <paramref name="due"/>, then yields until it.</summary>
    private static void WaitUntil(long due)
    {
        while (true)
        {
            var remaining = (due - Stopwatch.GetTimestamp()) / TicksPerMicrosecond;
            if (remaining <= 0)
            {
                return;
            }

            if (remaining > 200)
            {
                NativeSleep.Microseconds((long)remaining - 100);
            }
            else
            {
                Thread.Yield();
            }
        }
    }
}
