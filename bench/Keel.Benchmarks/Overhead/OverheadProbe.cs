using System.Diagnostics;
using System.Globalization;
using Keel.Sdk.Api;

namespace Keel.Benchmarks.Overhead;

/// <summary>Where Keel's time goes: the same server's cheaper requests, one at a time (closed loop), as floors under a tool call —
/// <c>/health</c> (HTTP on loopback, no key), <c>GET /v1/tools</c> (plus the key check), a message append (plus idempotency and a
/// SQLite append), and a no-op tool call (plus the pipeline). Runs get 20 requests each, like the load paths' runs.</summary>
internal static class OverheadProbe
{
    public static async Task PrintAsync(HttpClient http, KeelGatewayClient keel, ReadCall call, int count)
    {
        var runs = 0;
        var messageRuns = 0;
        var probes = new (string Name, Func<int, Task> Request)[]
        {
            ("GET /health (HTTP floor)", async _ => (await http.GetAsync(new Uri("health", UriKind.Relative)).ConfigureAwait(false)).Dispose()),
            ("GET /v1/tools (+ key check)", async _ => await keel.ListToolsAsync().ConfigureAwait(false)),
            ("POST message (+ idempotency, SQLite append)", async i =>
            {
                if (i % 20 == 0)
                {
                    await keel.CreateRunAsync(new CreateRunRequest($"noop-probe-messages-{++messageRuns}")).ConfigureAwait(false);
                }

                await keel.AppendMessageAsync($"noop-probe-messages-{messageRuns}", new AppendMessageRequest("user", "probe"), $"probe-m-{i}").ConfigureAwait(false);
            }),
            ("POST tool call, no-op upstream (+ pipeline)", async i =>
            {
                if (i % 20 == 0)
                {
                    await keel.CreateRunAsync(new CreateRunRequest($"noop-probe-{++runs}")).ConfigureAwait(false);
                }

                await keel.ProposeToolCallAsync($"noop-probe-{runs}", new ApiToolCall($"probe-{i}", ReadCall.Tool, call.ApiArguments(i))).ConfigureAwait(false);
            }),
        };

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"### Floors: {count} requests each, one at a time"));
        Console.WriteLine();
        Console.WriteLine("| request | p50 ms | p90 ms | p99 ms |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, request) in probes)
        {
            var latencies = new List<double>(count);
            for (var i = 0; i < count + (count / 5); i++)
            {
                var start = Stopwatch.GetTimestamp();
                await request(i).ConfigureAwait(false);
                if (i >= count / 5)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                }
            }

            var stats = LatencyStats.Of(latencies);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {stats.P50 / 1000:0.000} | {stats.P90 / 1000:0.000} | {stats.P99 / 1000:0.000} |"));
        }
    }
}
