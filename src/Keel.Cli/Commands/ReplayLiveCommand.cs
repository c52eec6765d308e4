using System.CommandLine;
using Keel.Cli.Output;
using Keel.Importers;
using Keel.Mcp.Api;
using Keel.Mcp.Live;
using Keel.Replay;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel replay-live &lt;runs&gt;... --server &lt;url&gt; [--key-env &lt;variable&gt;] [--parallelism N] [--run-prefix P] [--agent &lt;bundle&gt;]</c>:
/// recorded runs through a running gateway, so their calls hit the real tools through Keel (docs/live-replay.md).</summary>
internal static class ReplayLiveCommand
{
    public static Command Create()
    {
        var runs = new Argument<string[]>("runs")
        {
            Description = "Recorded run files or folders of them (the formats keel replay reads).",
            Arity = ArgumentArity.OneOrMore,
        };
        var server = new Option<string>("--server")
        {
            Description = "The Keel server (keel serve) to replay through.",
            DefaultValueFactory = _ => McpCommand.DefaultServer,
        };
        var keyEnv = new Option<string>("--key-env")
        {
            Description = "The environment variable holding the agent key (keel_<key id>_<secret>) of the agent whose runs these are. Keys are never taken from flags.",
            DefaultValueFactory = _ => McpCommand.DefaultKeyVariable,
        };
        var parallelism = new Option<int>("--parallelism")
        {
            Description = "Runs replayed at once; the steps of one run are always sent in order.",
            DefaultValueFactory = _ => 4,
        };
        var prefix = new Option<string>("--run-prefix")
        {
            Description = "Put before every recorded run id, to replay the same runs again on a server that has them (run ids are unique).",
            DefaultValueFactory = _ => string.Empty,
        };
        var agent = new Option<string?>("--agent", "-a")
        {
            Description = "Also replay the runs in audit mode (keel replay) with this agent bundle — the one the server governs the key's agent with — and report how many decisions agree.",
        };
        var command = new Command("replay-live", "Replay recorded runs through a live Keel gateway: each run is opened with its recorded id, its messages appended and its tool calls proposed "
            + "in order over the HTTP API, so Keel decides every call and the calls it allows run against the server's real upstream tools. Prints the decisions and how many upstream answers equal the recording.")
        {
            runs, server, keyEnv, parallelism, prefix, agent,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new Settings(parse.GetValue(runs)!, parse.GetValue(server)!, parse.GetValue(keyEnv)!, parse.GetValue(parallelism), parse.GetValue(prefix) ?? string.Empty, parse.GetValue(agent)),
            Environment.GetEnvironmentVariable, AnsiConsole.Console, cancellationToken));
        return command;
    }

    /// <summary>Reads the runs, checks the server and key, replays, prints the summary.</summary>
    /// <returns>0 when every run was replayed; 2 for bad input (runs, bundle, URL, key, unreachable server); 4 when the server stopped some runs.</returns>
    internal static async Task<int> RunAsync(Settings settings, Func<string, string?> environment, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (settings.Parallelism < 1)
        {
            return Fail(console, $"--parallelism is {settings.Parallelism}; replay at least 1 run at a time.");
        }

        if (!Uri.TryCreate(settings.Server.EndsWith('/') ? settings.Server : settings.Server + "/", UriKind.Absolute, out var baseAddress)
            || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
        {
            return Fail(console, $"--server '{settings.Server}' is not an http:// or https:// URL. Pass the address keel serve listens on, e.g. {McpCommand.DefaultServer}.");
        }

        var key = environment(settings.KeyVariable);
        if (string.IsNullOrWhiteSpace(key) || key.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            return Fail(console, $"the environment variable {settings.KeyVariable} is not set (or holds a line break). Set it to the agent key the Keel server issued (keel_<key id>_<secret>).");
        }

        ReplayEngine? audit = null;
        if (settings.Agent is { } bundle)
        {
            if (AgentBundles.Load([bundle], console) is not [var version])
            {
                return ExitCodes.BadInput;
            }

            audit = new ReplayEngine(version);
        }

        var recorded = await ReadRunsAsync(settings.Runs, console, cancellationToken).ConfigureAwait(false);
        if (recorded is null)
        {
            return ExitCodes.BadInput;
        }

        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
        var client = new KeelGatewayClient(http, key);
        try
        {
            await client.ListToolsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Fail(console, $"cannot reach the Keel server at {baseAddress} ({ex.Message}). Start it with 'keel serve', or pass --server with its address.");
        }
        catch (KeelApiException ex)
        {
            return Fail(console, $"the Keel server at {baseAddress} refused the key in {settings.KeyVariable}: {ex.Message}. Use an agent key (role agent) of the agent whose runs these are.");
        }

        var driver = new LiveReplayDriver(client, new LiveReplayOptions { Parallelism = settings.Parallelism, RunIdPrefix = settings.RunPrefix });
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await LiveReplayOutput.WithProgressAsync(console, recorded.Count, progress => driver.ReplayAsync(recorded, progress, cancellationToken)).ConfigureAwait(false);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);

        IReadOnlyList<CallAgreement>? agreements = null;
        if (audit is not null)
        {
            var replayed = new List<ReplayedRun>(recorded.Count);
            foreach (var run in recorded)
            {
                replayed.Add(await audit.ReplayAsync(run, cancellationToken).ConfigureAwait(false));
            }

            agreements = LiveAuditComparison.Compare(replayed, result.Runs);
        }

        LiveReplayOutput.WriteSummary(console, baseAddress, result, agreements, elapsed);
        return result.FailedRuns == 0 ? ExitCodes.Ok : ExitCodes.RunsStopped;
    }

    private static async Task<List<RecordedRun>?> ReadRunsAsync(IEnumerable<string> inputs, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var runs = new List<RecordedRun>();
        var diagnostics = new ImportDiagnostics();
        try
        {
            foreach (var input in inputs)
            {
                await foreach (var run in RunImporters.Default.ReadAsync(input, diagnostics, cancellationToken).ConfigureAwait(false))
                {
                    runs.Add(run);
                }
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or IOException)
        {
            Fail(console, ex.Message);
            return null;
        }

        foreach (var skipped in diagnostics.Skipped.Take(10))
        {
            console.MarkupLineInterpolated($"[yellow]skipped:[/] {skipped.File} record {skipped.RecordIndex} at {skipped.JsonPath}: {skipped.Message}");
        }

        return runs;
    }

    private static int Fail(IAnsiConsole console, string message)
    {
        console.MarkupLineInterpolated($"[red]error:[/] {message}");
        return ExitCodes.BadInput;
    }

    /// <summary>The command's arguments.</summary>
    internal sealed record Settings(IReadOnlyList<string> Runs, string Server, string KeyVariable, int Parallelism, string RunPrefix = "", string? Agent = null);
}
