using Microsoft.Extensions.DependencyInjection;
using Keel.Bundles;
using Keel.Gateway;
using Keel.Importers;
using Keel.Sdk.Api;
using Keel.Mcp.Tests.Fakes;
using Keel.Mcp.Upstream;
using Keel.Model;
using Keel.Replay;
using Keel.Server;
using Microsoft.AspNetCore.Builder;
using Shouldly;

namespace Keel.Mcp.Tests.Live;

/// <summary>A real Keel server (Kestrel on 127.0.0.1, a SQLite file in a temp folder) governing the tau-airline agent, on the
/// recording's clock, with an agent key's client.</summary>
internal sealed class LiveKeelServer : IAsyncDisposable
{
    /// <summary>tau-bench's airline "current time", which the importer gives every recorded run as its clock.</summary>
    public static readonly DateTimeOffset DomainTime = new(2024, 5, 15, 15, 0, 0, TimeSpan.FromHours(-5));

    private readonly DirectoryInfo _folder;
    private readonly KeelServerApp _server;
    private readonly HttpClient _http;

    private LiveKeelServer(DirectoryInfo folder, KeelServerApp server, HttpClient http, (string Key, KeelGatewayClient Client) agent, (string Key, KeelGatewayClient Client) @operator)
    {
        _folder = folder;
        _server = server;
        _http = http;
        (AgentKey, Client) = agent;
        (OperatorKey, Operator) = @operator;
    }

    /// <summary>The shipped tau-airline bundle without its escalation rules. These tests measure the policy pipeline, live against
    /// audit replay; an escalation rule that fires live hands the run to a person and ends it (409 run-handed-off, docs/escalation.md),
    /// which audit replay records without stopping — covered by the server's EscalationTests, not here.</summary>
    public static AgentVersion Airline { get; } = AgentBundleLoader.Load(RepoPaths.AirlineBundle) with { Escalation = Keel.Escalation.EscalationPolicy.Empty };

    public static string SampleRuns => Path.Combine(RepoPaths.Root, "samples", "runs", "tau-bench", "gpt-4o-airline.json");

    /// <summary>The client of an agent key of tau-airline.</summary>
    public KeelGatewayClient Client { get; }

    /// <summary>The agent key of <see cref="Client"/>.</summary>
    public string AgentKey { get; }

    /// <summary>The client of an operator key (approves and denies held calls).</summary>
    public KeelGatewayClient Operator { get; }

    /// <summary>The operator key of <see cref="Operator"/>.</summary>
    public string OperatorKey { get; }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>The upstream of one run: a fresh keel-tau-tools airline process.</summary>
    public static McpUpstreamOptions TauTools() => new()
    {
        Name = "tau-airline",
        Command = "dotnet",
        Arguments = [RepoPaths.TauToolsDll, "--domain", "airline"],
        WorkingDirectory = AppContext.BaseDirectory,
    };

    public static async Task<LiveKeelServer> StartAsync(IToolExecutor? executor, CancellationToken cancellationToken = default)
    {
        var folder = Directory.CreateTempSubdirectory("keel-live-");
        var options = new KeelServerOptions { Storage = k => k.UseSqlite(Path.Combine(folder.FullName, "keel.db")), Executor = executor, TimeProvider = new ManualTime(DomainTime) };
        options.Agents.Add(Airline);
        var server = await KeelServer.BuildAsync(options, ["http://127.0.0.1:0"], cancellationToken: cancellationToken);
        await server.StartAsync(cancellationToken);
        var address = server.Addresses.Single();
        var http = new HttpClient { BaseAddress = new Uri(address) };
        var admin = new KeelGatewayClient(http, server.BootstrapAdminKey!);
        var key = await admin.CreateKeyAsync(new CreateKeyRequest("live-replay", "agent", Airline.AgentName), cancellationToken: cancellationToken);
        var operatorKey = await admin.CreateKeyAsync(new CreateKeyRequest("operator", "operator", null), cancellationToken: cancellationToken);
        return new LiveKeelServer(folder, server, http, (key.Key, new KeelGatewayClient(http, key.Key)), (operatorKey.Key, new KeelGatewayClient(http, operatorKey.Key)));
    }

    public static async Task<IReadOnlyList<RecordedRun>> ImportSampleAsync(CancellationToken cancellationToken = default)
    {
        var diagnostics = new ImportDiagnostics();
        var runs = new List<RecordedRun>();
        await foreach (var run in RunImporters.Default.ReadAsync(SampleRuns, diagnostics, cancellationToken))
        {
            runs.Add(run);
        }

        diagnostics.SkippedCount.ShouldBe(0);
        return runs;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.App.StopAsync();
        await _server.App.DisposeAsync();
        _http.Dispose();
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
