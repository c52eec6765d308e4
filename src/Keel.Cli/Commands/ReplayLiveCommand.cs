using System.CommandLine;
using Keel.Cli.Output;
using Keel.Importers;
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
        var server = GatewayConnection.ServerOption("The Keel server (keel serve) to replay through.");
        var keyEnv = GatewayConnection.KeyEnvOption(
            "The environment variable holding the agent key (keel_<key id>_<secret>) of the agent whose runs these are. Keys are never taken from flags.");
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
        var plugins = new Plugins.PluginOptions(command);
        command.SetAction((parse, cancellationToken) => plugins.TryCompose(parse, AnsiConsole.Console, out var composition)
            ? RunAsync(
                new Settings(parse.GetValue(runs)!, parse.GetValue(server)!, parse.GetValue(keyEnv)!, parse.GetValue(parallelism), parse.GetValue(prefix) ?? string.Empty, parse.GetValue(agent))
                {
                    Components = composition!.Components,
                },
                Environment.GetEnvironmentVariable, AnsiConsole.Console, cancellationToken)
            : Task.FromResult(ExitCodes.BadInput));
        return command;
    }

    /// <summary>Reads the runs, checks the server and key, replays, prints the summary.</summary>
    /// <returns>0 when every run was replayed; 2 for bad input (options, runs, bundle, URL, key, unreachable server); 5 when the server stopped some runs.</returns>
    internal static async Task<int> RunAsync(Settings settings, Func<string, string?> environment, IAnsiConsole console, CancellationToken cancellationToken)
    {
        // Checked before anything is read or sent: LiveReplayDriver would refuse them only after the runs were read and the server asked.
        var options = new LiveReplayOptions { Parallelism = settings.Parallelism, RunIdPrefix = settings.RunPrefix };
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            return Fail(console, ex.Message.Split(" (Parameter", 2)[0]);
        }

        using var connection = GatewayConnection.Create(settings.Server, settings.KeyVariable, environment, out var invalid);
        if (connection is null)
        {
            return Fail(console, invalid!);
        }

        ReplayEngine? audit = null;
        if (settings.Agent is { } bundle)
        {
            if (AgentBundles.Load([bundle], console, settings.Components) is not [var version])
            {
                return ExitCodes.BadInput;
            }

            audit = new ReplayEngine(version, components: settings.Components);
        }

        var recorded = await ReadRunsAsync(settings.Runs, settings.Components.Importers, console, cancellationToken).ConfigureAwait(false);
        if (recorded is null)
        {
            return ExitCodes.BadInput;
        }

        if ((await connection.ListToolsAsync(cancellationToken).ConfigureAwait(false)).Error is { } unusable)
        {
            return Fail(console, unusable);
        }

        var driver = new LiveReplayDriver(connection.Client, options);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await LiveReplayOutput.WithProgressAsync(KeelConsole.ForProgress(), recorded.Count, progress => driver.ReplayAsync(recorded, progress, cancellationToken)).ConfigureAwait(false);
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

        LiveReplayOutput.WriteSummary(console, connection.BaseAddress, result, agreements, elapsed);
        return result.FailedRuns == 0 ? ExitCodes.Ok : ExitCodes.RunsStopped;
    }

    private static async Task<IReadOnlyList<RecordedRun>?> ReadRunsAsync(IEnumerable<string> inputs, Importers.RunImporters importers, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var diagnostics = new ImportDiagnostics();
        var runs = await RunFiles.ReadAsync(inputs, diagnostics, importers, console, cancellationToken).ConfigureAwait(false);
        foreach (var skipped in runs is null ? [] : diagnostics.Skipped.Take(10))
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
    internal sealed record Settings(IReadOnlyList<string> Runs, string Server, string KeyVariable, int Parallelism, string RunPrefix = "", string? Agent = null)
    {
        /// <summary>The composition (plugins included) the runs are read, and the optional audit replay runs, with.</summary>
        public Composition.KeelComponents Components { get; init; } = Composition.KeelComponents.Standard;
    }
}
