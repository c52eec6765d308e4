using System.Globalization;

namespace Keel.Benchmarks.Overhead;

/// <summary>Prints one rate's results as a Markdown table (milliseconds), with the added latency of Keel over the direct path.</summary>
internal static class OverheadReport
{
    public static void Print(int rate, IReadOnlyList<PathRecord> records)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"### {rate:N0} calls/s per path"));
        Console.WriteLine();
        Console.WriteLine("| path | sent | achieved calls/s | errors | dropped | p50 ms | p90 ms | p99 ms | max ms | p50 / p99 from send, ms | send lag p99 ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in records)
        {
            var s = r.FromSchedule;
            var send = r.FromSend;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Sent:N0} | {r.Sent / r.ScheduledSeconds:N0} | {r.Errors} | {r.Dropped} | {Ms(s.P50)} | {Ms(s.P90)} | {Ms(s.P99)} | {Ms(s.Max)} | {Ms(send.P50)} / {Ms(send.P99)} | {Ms(r.Lag.P99)} |"));
        }

        var direct = records[0].FromSchedule;
        var keel = records[1].FromSchedule;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Added by Keel (through Keel − direct): median {Signed(keel.P50 - direct.P50)} ms, p99 {Signed(keel.P99 - direct.P99)} ms (targets: median ≤ +0.3 ms, p99 ≤ +1.5 ms)."));
        if (records.Count > 2)
        {
            var noop = records[2].FromSchedule;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Keel's own cost (no-op upstream): median {Ms(noop.P50)} ms, p99 {Ms(noop.P99)} ms."));
        }
    }

    private static string Ms(double microseconds) => double.IsNaN(microseconds) ? "n/a" : (microseconds / 1000).ToString("0.000", CultureInfo.InvariantCulture);

    private static string Signed(double microseconds) => (microseconds >= 0 ? "+" : string.Empty) + Ms(microseconds);
}
