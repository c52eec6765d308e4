using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using Keel.Benchmarks.Overhead;
using Keel.Benchmarks.Reliability;
using Microsoft.Data.Sqlite;

namespace Keel.Benchmarks.Ingest;

/// <summary><c>ingest [--clients 8] [--batch 512] [--spans-per-trace 8] [--seconds 20] [--warmup 3]</c>: OTLP/HTTP trace ingest into a real
/// <c>keel serve</c> process on 127.0.0.1 (a fresh SQLite store): N client tasks post protobuf exports back to back (a bounded,
/// closed-loop load: each client waits for its answer); reports spans acknowledged per second (200 = committed to the durable span
/// buffer), p50/p99/max of the export call, and how many runs the server built meanwhile. docs/otlp-ingest.md.</summary>
internal static class IngestDriver
{
    public const string Usage = "usage: ingest [--clients N (default 8)] [--batch SPANS (default 512)] [--spans-per-trace N (default 8)] [--seconds S (default 20)] [--warmup S (default 3)]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (Options(args) is not { } o)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var folder = Directory.CreateTempSubdirectory("keel-ingest-");
        var database = Path.Combine(folder.FullName, "keel.db");
        try
        {
            await using var server = await KeelChild.StartAsync(Path.Combine(AppContext.BaseDirectory, "keel.dll"), database, RepoPaths.Sample("tau-airline"), null, CancellationToken.None);
            var batch = new IngestBatch(o.Batch, o.SpansPerTrace);
            Console.WriteLine($"Keel OTLP ingest — {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
            Console.WriteLine(Invariant($"`dotnet keel.dll serve` (SQLite, span buffer synchronous=FULL) on {server.Address}; {o.Clients} clients, {batch.SpansPerExport} spans per export ({batch.Bytes / 1024.0:0.#} KiB protobuf, {o.SpansPerTrace} spans per trace), {o.Warmup} s warm-up, {o.Seconds} s measured"));
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = o.Clients }) { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.AdminKey);

            await LoadAsync(http, batch, o.Clients, TimeSpan.FromSeconds(o.Warmup), null);
            var runsBefore = CountRuns(database);
            using var serverProcess = Process.GetProcessById(server.Id);
            var serverCpuBefore = serverProcess.TotalProcessorTime;
            var driverCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var latencies = new List<double>[o.Clients];
            var clock = Stopwatch.StartNew();
            var (ok, failed) = await LoadAsync(http, batch, o.Clients, TimeSpan.FromSeconds(o.Seconds), latencies);
            var elapsed = clock.Elapsed.TotalSeconds;
            serverProcess.Refresh();
            var serverCpu = (serverProcess.TotalProcessorTime - serverCpuBefore).TotalSeconds;
            var driverCpu = (Process.GetCurrentProcess().TotalProcessorTime - driverCpuBefore).TotalSeconds;
            var runsBuilt = CountRuns(database) - runsBefore;
            var stats = LatencyStats.Of([.. latencies.SelectMany(l => l)]);
            var backlog = CountBuffered(database + ".spans");

            Console.WriteLine();
            Console.WriteLine("| exports ok | exports failed | spans acknowledged | spans/s acknowledged (durable) | export p50 ms | p99 ms | max ms | runs built in the window | runs/s built | spans still buffered at the end |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            Console.WriteLine(Invariant($"| {ok:N0} | {failed:N0} | {ok * batch.SpansPerExport:N0} | **{ok * batch.SpansPerExport / elapsed:N0}** | {stats.P50 / 1000:0.0} | {stats.P99 / 1000:0.0} | {stats.Max / 1000:0.0} | {runsBuilt:N0} | {runsBuilt / elapsed:N0} | {backlog:N0} |"));
            Console.WriteLine();
            Console.WriteLine(Invariant($"CPU in the window: keel serve {serverCpu:0.0} s ({serverCpu / elapsed * 100:0}% of one core), this driver {driverCpu:0.0} s; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores."));
            Console.WriteLine(Invariant($"keel serve spent {serverCpu * 1e6 / Math.Max(1, ok * batch.SpansPerExport):0.0} µs of CPU per acknowledged span (ingest and run building together): {ok * batch.SpansPerExport / Math.Max(0.001, serverCpu):N0} spans per CPU-second."));
            return failed == 0 ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static async Task<(long Ok, long Failed)> LoadAsync(HttpClient http, IngestBatch batch, int clients, TimeSpan duration, List<double>[]? latencies)
    {
        long ok = 0, failed = 0;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = new List<double>();
            while (Stopwatch.GetTimestamp() < until)
            {
                var content = new ByteArrayContent(batch.Next());
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync("/v1/traces", content);
                await response.Content.ReadAsByteArrayAsync();
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref ok);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }

            if (latencies is not null)
            {
                latencies[c] = mine;
            }
        })));
        return (ok, failed);
    }

    private static long CountRuns(string database) => Count(database, "SELECT count(*) FROM runs WHERE channel = 'otlp'");

    private static long CountBuffered(string spans) => Count(spans, "SELECT coalesce(sum(span_count), 0) FROM spans");

    private static long Count(string file, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static (int Clients, int Batch, int SpansPerTrace, int Seconds, int Warmup)? Options(string[] args)
    {
        (int Clients, int Batch, int SpansPerTrace, int Seconds, int Warmup) o = (8, 512, 8, 20, 3);
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : (int?)null;
            switch (args[i])
            {
                case "--clients" when value is { } v: o.Clients = v; break;
                case "--batch" when value is { } v: o.Batch = v; break;
                case "--spans-per-trace" when value is { } v: o.SpansPerTrace = v; break;
                case "--seconds" when value is { } v: o.Seconds = v; break;
                case "--warmup" when value is { } v: o.Warmup = v; break;
                default: return null;
            }
        }

        return o.SpansPerTrace <= o.Batch ? o : null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
