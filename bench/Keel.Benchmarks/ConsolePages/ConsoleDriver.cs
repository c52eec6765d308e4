using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keel.Benchmarks.Overhead;
using Keel.Bundles;
using Keel.Server;
using Keel.Storage;
using Keel.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Benchmarks.ConsolePages;

/// <summary><c>console</c>: fills a SQLite store (default 10,000 runs, 1,000,000 events) through the store port, starts the server
/// in process on a loopback socket, signs in to the console and reports the median and p95 response time of the live feed, the run
/// list and a 500-event run timeline, then the latency from a commit (an agent's message through the API) to the feed stream's
/// <c>changed</c> event (docs/console.md).</summary>
internal static partial class ConsoleDriver
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = Option(args, "--runs", 10_000);
        var events = Option(args, "--events", 1_000_000);
        var samples = Option(args, "--samples", 50);
        var commits = Option(args, "--commits", 30);
        var db = OptionText(args, "--db") ?? Path.Combine(Path.GetTempPath(), $"keel-console-bench-{runs}-{events}.db");
        var agent = AgentBundleLoader.Load(RepoPaths.Sample("tau-airline"));
        var options = new KeelServerOptions { Storage = k => k.UseSqlite(db) };
        options.Agents.Add(agent);
        var server = await KeelServer.BuildAsync(options, ["http://127.0.0.1:0"]).ConfigureAwait(false);
        await using var app = server.App;
        await server.StartAsync().ConfigureAwait(false);
        var store = app.Services.GetRequiredService<IRunStore>();
        if ((await store.ListRunsAsync(options.BootstrapWorkspace, 1).ConfigureAwait(false)).Count == 0)
        {
            Console.Error.WriteLine($"filling {db}: {runs:N0} runs, {events:N0} events");
            var took = await ConsoleStoreFill.FillAsync(store, options.BootstrapWorkspace, runs, events, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)).ConfigureAwait(false);
            Console.WriteLine($"filled in {took.TotalSeconds:0.0} s ({events / took.TotalSeconds:N0} events/s through IRunStore.SaveRunsAsync)");
        }
        else
        {
            Console.WriteLine($"reusing {db}");
        }

        // A reused store's workspace already exists, so the server issued no bootstrap key: make one through the key store.
        var adminKey = server.BootstrapAdminKey
            ?? (await app.Services.GetRequiredService<IApiKeyStore>().CreateKeyAsync(options.BootstrapWorkspace, "console-bench-admin", KeelRole.Admin, null).ConfigureAwait(false)).Key;
        var address = new Uri(server.Addresses.Single());
        using var console = await SignInAsync(address, adminKey).ConfigureAwait(false);
        using var api = new HttpClient { BaseAddress = address };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        Console.WriteLine($"store: {new FileInfo(db).Length / 1e6:0} MB; nproc {Environment.ProcessorCount}; load {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| page | request | samples | median ms | p95 ms | max ms |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        await TimeAsync("live feed (page)", console, "/", samples).ConfigureAwait(false);
        await TimeAsync("live feed (rows, what the stream reloads)", console, "/?handler=Rows", samples).ConfigureAwait(false);
        await TimeAsync("run list (API, 100 runs)", api, "/v1/runs?limit=100", samples).ConfigureAwait(false);
        await TimeAsync($"run timeline ({ConsoleStoreFill.TimelineEvents} events)", console, $"/runs/{ConsoleStoreFill.TimelineRun}", samples).ConfigureAwait(false);
        await CommitToFeedAsync(address, console, api, agent.AgentName, commits).ConfigureAwait(false);
        await app.StopAsync().ConfigureAwait(false);
        return 0;
    }

    private static async Task TimeAsync(string name, HttpClient client, string path, int samples)
    {
        var took = new List<double>(samples);
        for (var i = -3; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(path).ConfigureAwait(false);
            await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}");
            }

            if (i >= 0)
            {
                took.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            }
        }

        Row(name, "GET " + path, LatencyStats.Of(took));
    }

    /// <summary>Opens the console's feed stream, then commits agent messages one at a time and times each from the request's start
    /// (an upper bound of the commit's time) to the <c>changed</c> event it causes.</summary>
    private static async Task CommitToFeedAsync(Uri address, HttpClient console, HttpClient admin, string agentName, int commits)
    {
        var keyResponse = await admin.PostAsJsonAsync("/v1/keys", new { name = "console-bench-agent-" + Guid.NewGuid().ToString("N")[..8], role = "agent", agent = agentName }).ConfigureAwait(false);
        keyResponse.EnsureSuccessStatusCode();
        using var agent = new HttpClient { BaseAddress = address };
        agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await keyResponse.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false)).GetProperty("key").GetString());
        var opened = await agent.PostAsJsonAsync("/v1/runs", new { }).ConfigureAwait(false);
        opened.EnsureSuccessStatusCode();
        var run = (await opened.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false)).GetProperty("id").GetString();

        using var stream = await console.GetAsync("/console/stream", HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync().ConfigureAwait(false));
        var took = new List<double>(commits);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // The stream sends a first `changed` as it opens (ChangeStream); it answers no commit, so it is read before the timing starts.
        await WaitForChangedAsync(reader, timeout.Token).ConfigureAwait(false);

        // Two commits not counted first: the stream's first look at the store and the first wake-up take the JIT's time.
        for (var i = -2; i < commits; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var reading = WaitForChangedAsync(reader, timeout.Token);
            (await agent.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role = "user", content = $"Where is my refund? ({i})" }).ConfigureAwait(false)).EnsureSuccessStatusCode();
            await reading.ConfigureAwait(false);
            if (i >= 0)
            {
                took.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            }

            timeout.CancelAfter(TimeSpan.FromSeconds(30));
        }

        Row("commit → feed stream `changed`", "POST message, then SSE /console/stream", LatencyStats.Of(took));
    }

    private static async Task WaitForChangedAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line == "event: changed")
            {
                return;
            }
        }

        throw new InvalidOperationException("the feed stream ended");
    }

    private static async Task<HttpClient> SignInAsync(Uri address, string key)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address };
        var form = await client.GetStringAsync("/signin").ConfigureAwait(false);
        var token = CsrfField().Match(form) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("the sign-in form has no __csrf field");
        using var response = await client.PostAsync("/signin", new FormUrlEncodedContent([new("key", key), new("__csrf", token), new("returnUrl", "/")])).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"sign-in answered {(int)response.StatusCode}");
        }

        return client;
    }

    private static void Row(string name, string request, LatencyStats stats) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | `{request}` | {stats.Count} | {stats.P50 / 1000:0.0} | {stats.P95 / 1000:0.0} | {stats.Max / 1000:0.0} |"));

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static int Option(string[] args, string name, int fallback) => OptionText(args, name) switch
    {
        null => fallback,
        var text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 => value,
        var text => throw new ArgumentException($"{name} takes a positive whole number, not '{text}'"),
    };

    private static string? OptionText(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"|type=\"hidden\" name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
