using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Keel.Benchmarks.Throughput;
using Keel.Bundles;
using Keel.Sdk.Api;
using Keel.Mcp.Upstream;
using Keel.Server;
using Microsoft.AspNetCore.Builder;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Keel.Benchmarks.Overhead;

/// <summary>
/// <c>overhead [--rate 1000[,R...]] [--seconds 20] [--warmup 3] [--block-ms 1000] [--max-in-flight 256]</c>: the gateway's added
/// latency. The same read (<c>get_reservation_details</c>) is made (a) straight to a keel-tau-tools process by an MCP client over
/// stdio and (b) through Keel's HTTP API on 127.0.0.1 to another keel-tau-tools process, plus (c) through Keel to an in-process
/// no-op upstream (Keel's own cost). A bounded open-loop schedule drives each path at the rate, the paths alternating in blocks.
/// docs/gateway-overhead.md.
/// </summary>
internal static class OverheadDriver
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (OverheadOptions.Parse(args) is not { } options)
        {
            Console.Error.WriteLine(OverheadOptions.Usage);
            return 2;
        }

        var temp = Directory.CreateTempSubdirectory("keel-overhead-");
        try
        {
            await RunAsync(options, temp.FullName).ConfigureAwait(false);
            return 0;
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private static async Task RunAsync(OverheadOptions options, string temp)
    {
        Console.WriteLine($"Keel gateway overhead — {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, "
            + $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rates {string.Join(", ", options.Rates)} calls/s per path; {options.Seconds} s measured + {options.WarmupSeconds} s warm-up per path and rate; blocks of {options.BlockMs} ms; at most {options.MaxInFlight} calls in flight per path"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"parallel speedup available now: {Calibration.Measure(Environment.ProcessorCount):N2}x on {Environment.ProcessorCount} threads (below {Environment.ProcessorCount} means other processes took CPU)"));

        using var reservations = JsonDocument.Parse(await File.ReadAllBytesAsync(RepoPaths.Sample("tau-airline", "db", "reservations.json")).ConfigureAwait(false));
        var call = new ReadCall([.. reservations.RootElement.EnumerateObject().Select(p => p.Name)]);
        var tauTools = Path.Combine(AppContext.BaseDirectory, "keel-tau-tools.dll");
        await using var direct = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "tau-airline-direct", Command = "dotnet", Arguments = [tauTools, "--domain", "airline"], WorkingDirectory = AppContext.BaseDirectory,
        }), new McpClientOptions { ProtocolVersion = "2025-11-25" }).ConfigureAwait(false); // the handshake Keel's upstream uses
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < call.ReservationIds.Count; i++)
        {
            var answer = await direct.CallToolAsync(new CallToolRequestParams { Name = ReadCall.Tool, Arguments = call.McpArguments(i) }).ConfigureAwait(false);
            answers[call.ReservationIds[i]] = ((TextContentBlock)answer.Content[0]).Text;
        }

        await using var upstream = McpToolExecutor.Create([new McpUpstreamOptions
        {
            Name = "tau-airline", Command = "dotnet", Arguments = [tauTools, "--domain", "airline"], WorkingDirectory = AppContext.BaseDirectory,
        }]);
        if (await upstream.ConnectAsync().ConfigureAwait(false) is [var failure, ..])
        {
            throw new InvalidOperationException(failure);
        }

        var serverOptions = new KeelServerOptions { Storage = k => k.UseSqlite(Path.Combine(temp, "keel.db")), Executor = new RoutingExecutor(upstream, answers) };
        serverOptions.Agents.Add(AgentBundleLoader.Load(RepoPaths.Sample("tau-airline")));
        var server = await KeelServer.BuildAsync(serverOptions, ["http://127.0.0.1:0"]).ConfigureAwait(false);
        await using var app = server.App;
        await server.StartAsync().ConfigureAwait(false);
        var address = server.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var admin = new KeelGatewayClient(http, server.BootstrapAdminKey!);
        var agentKey = await admin.CreateKeyAsync(new CreateKeyRequest("overhead", "agent", "tau-airline")).ConfigureAwait(false);
        var keel = new KeelGatewayClient(http, agentKey.Key);
        Console.WriteLine($"Keel gateway on {address} (SQLite {Path.Combine(temp, "keel.db")}); upstream and direct tool servers: {tauTools}");

        if (options.ProbeCount > 0)
        {
            await OverheadProbe.PrintAsync(http, keel, call, options.ProbeCount).ConfigureAwait(false);
        }

        ILoadPath[] paths =
        [
            new DirectPath(direct, call),
            new KeelPath("through Keel (HTTP → pipeline → MCP stdio → keel-tau-tools)", "tau", keel, call, options.CallsPerRun),
            new KeelPath("through Keel, no-op upstream (Keel's own cost)", "noop", keel, call, options.CallsPerRun),
        ];
        var sequences = paths.ToDictionary(p => p, _ => 0L);
        long Next(ILoadPath path) => sequences[path]++;

        foreach (var rate in options.Rates)
        {
            foreach (var path in paths.OfType<KeelPath>())
            {
                await path.EnsureRunsAsync(sequences[path] + ((long)rate * (options.Seconds + options.WarmupSeconds) * 11 / 10)).ConfigureAwait(false);
            }

            if (options.WarmupSeconds > 0)
            {
                await OpenLoop.RunAsync([.. paths.Select(p => (p, new PathRecord(p.Name)))], Next, rate, TimeSpan.FromSeconds(options.WarmupSeconds), TimeSpan.FromMilliseconds(options.BlockMs), options.MaxInFlight).ConfigureAwait(false);
            }

            var records = paths.Select(p => (Path: p, Record: new PathRecord(p.Name))).ToList();
            await OpenLoop.RunAsync(records, Next, rate, TimeSpan.FromSeconds(options.Seconds), TimeSpan.FromMilliseconds(options.BlockMs), options.MaxInFlight).ConfigureAwait(false);
            OverheadReport.Print(rate, [.. records.Select(r => r.Record)]);
        }

        await app.StopAsync().ConfigureAwait(false);
    }
}
