using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using Keel.Bundles;
using Keel.Cli.Commands;
using Keel.Gateway;
using Keel.Importers;
using Keel.Sdk.Api;
using Keel.Model;
using Keel.Server;
using Shouldly;
using Spectre.Console;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary><c>keel replay-live</c> against a real Keel server on 127.0.0.1 whose upstream answers each call with its recorded result.</summary>
[Collection(CliSerial.Name)]
public sealed class ReplayLiveCommandTests : IAsyncLifetime
{
    private static readonly DateTimeOffset DomainTime = new(2024, 5, 15, 15, 0, 0, TimeSpan.FromHours(-5));
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("keel-replay-live-cli-");
    private KeelServerApp _server = null!;
    private string _address = null!;
    private string _agentKey = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string RunsFile => Path.Combine(_dir.FullName, "runs.json");

    public async ValueTask InitializeAsync()
    {
        // Three runs of the shipped sample: tasks 0 and 3 of trial 0, and task 0 of trial 3 (whose decisions differ live, docs/live-replay.md).
        var all = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.AirlineRuns, Token))!.AsArray();
        var picked = new JsonArray([.. all.Where(r => (int)r!["trial"]! is var trial && (int)r["task_id"]! is var task && (trial, task) is (0, 0) or (0, 3) or (3, 0)).Select(r => r!.DeepClone())]);
        await File.WriteAllTextAsync(RunsFile, picked.ToJsonString(), Token);

        // Keyed by run, call id and arguments: tau-bench's recorded call ids repeat, across runs and within one.
        var recorded = new Dictionary<(string, string, string), Queue<ToolResult>>();
        await foreach (var run in RunImporters.Default.ReadAsync(RunsFile, new ImportDiagnostics(), Token))
        {
            foreach (var call in run.Steps.OfType<Replay.RecordedToolCall>())
            {
                var key = (run.Id, call.Call.Id, Canonical(call.Call.ArgumentsJson));
                if (!recorded.TryGetValue(key, out var answers))
                {
                    recorded[key] = answers = new Queue<ToolResult>();
                }

                answers.Enqueue(call.Result!);
            }
        }

        var options = new KeelServerOptions { Storage = k => k.UseSqlite(Path.Combine(_dir.FullName, "keel.db")), Executor = new RecordedAnswers(recorded), TimeProvider = new FixedClock(DomainTime) };
        options.Agents.Add(AgentBundleLoader.Load(RepoPaths.AirlineBundle));
        _server = await KeelServer.BuildAsync(options, ["http://127.0.0.1:0"], cancellationToken: Token);
        await _server.StartAsync(Token);
        _address = _server.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(_address) };
        _agentKey = (await new KeelGatewayClient(http, _server.BootstrapAdminKey!).CreateKeyAsync(new CreateKeyRequest("replay", "agent", "tau-airline"), cancellationToken: Token)).Key;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.App.StopAsync();
        await _server.App.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task ReplayLive_ThreeSampleRunsWithTheBundle_PrintsDecisionsUpstreamAnswersAndAgreement()
    {
        using var console = new CapturedConsole();

        var exit = await ReplayLiveCommand.RunAsync(new ReplayLiveCommand.Settings([RunsFile], _address, "KEEL_API_KEY", 2, Agent: RepoPaths.AirlineBundle),
            name => name == "KEEL_API_KEY" ? _agentKey : null, AnsiConsole.Console, Token);

        exit.ShouldBe(0, console.Text);
        var text = console.Text;
        text.ShouldContain("Keel live replay through " + _address);
        Row(text, "runs replayed").ShouldBe("3");
        Row(text, "runs stopped by the server").ShouldBe("0");
        var calls = int.Parse(Row(text, "tool calls"), System.Globalization.CultureInfo.InvariantCulture);
        var reached = int.Parse(Row(text, "reached the upstream"), System.Globalization.CultureInfo.InvariantCulture);
        Row(text, "answered as recorded").ShouldStartWith($"{reached} of {reached} ");
        Row(text, "decisions as keel replay").ShouldStartWith($"{calls - 1} of {calls} ");
        text.ShouldContain("differs: tau-airline-t0-r3 call 10 (cancel_reservation): replay require_approval (airline.cancel.reservation-known), live escalate (loop.no_progress) — after call 3 (book_reservation): not run live");
    }

    [Fact]
    public async Task ReplayLive_KeyVariableNotSet_ExitsTwoNamingTheVariable()
    {
        using var console = new CapturedConsole();

        var exit = await ReplayLiveCommand.RunAsync(new ReplayLiveCommand.Settings([RunsFile], _address, "MY_KEY", 1), _ => null, AnsiConsole.Console, Token);

        exit.ShouldBe(2);
        console.Text.ShouldStartWith("error: the environment variable MY_KEY is not set");
    }

    [Fact]
    public async Task ReplayLive_RunPrefixWithASlash_ExitsTwoBeforeSendingAnything()
    {
        using var console = new CapturedConsole();

        var exit = await ReplayLiveCommand.RunAsync(new ReplayLiveCommand.Settings([RunsFile], _address, "KEEL_API_KEY", 1, RunPrefix: "pass/"), _ => _agentKey, AnsiConsole.Console, Token);

        exit.ShouldBe(2);
        console.Text.ShouldStartWith("error: RunIdPrefix 'pass/' holds a '/', which a run's URL cannot carry; use '-' or ':' instead.");
        console.Text.ShouldNotContain("Parameter");
    }

    [Fact]
    public async Task ReplayLive_RunsReplayedTwice_SecondPassIsStoppedByTheServerAndExitsFive()
    {
        var settings = new ReplayLiveCommand.Settings([RunsFile], _address, "KEEL_API_KEY", 2);
        using var console = new CapturedConsole();
        (await ReplayLiveCommand.RunAsync(settings, _ => _agentKey, AnsiConsole.Console, Token)).ShouldBe(0, console.Text);

        var exit = await ReplayLiveCommand.RunAsync(settings, _ => _agentKey, AnsiConsole.Console, Token);

        exit.ShouldBe(ExitCodes.RunsStopped);
        console.Text.ShouldContain("stopped: run tau-airline-t0-r0 after 0 calls: Run exists (HTTP 409)");
    }

    /// <summary>The value cell of a summary row.</summary>
    private static string Row(string text, string metric)
    {
        var line = text.Split('\n').Last(l => l.Contains($"│ {metric} ", StringComparison.Ordinal) || l.Contains($"│   {metric} ", StringComparison.Ordinal));
        return line.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[1];
    }

    private static string Canonical(string json) => JsonNode.Parse(json)!.ToJsonString();

    /// <summary>Answers each call with its recorded result; a call repeated with the same id and arguments gets the next recorded answer
    /// (the driver sends a reused id as <c>id~step</c>).</summary>
    private sealed class RecordedAnswers(Dictionary<(string, string, string), Queue<ToolResult>> recorded) : IToolExecutor
    {
        public ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken)
        {
            var answers = recorded[(context.State.Run.Id, context.Call.Id.Split('~')[0], Canonical(context.Call.ArgumentsJson))];
            lock (answers)
            {
                return ValueTask.FromResult(answers.Count > 1 ? answers.Dequeue() : answers.Peek());
            }
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
