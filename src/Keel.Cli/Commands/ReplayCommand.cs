using System.CommandLine;
using Keel.Bundles;
using Keel.Cli.Output;
using Keel.Cli.Plugins;
using Keel.Replay;
using Keel.Reports;
using Keel.Storage;
using Keel.Storage.Sqlite;
using Keel.Telemetry;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel replay &lt;runs&gt;... --agent &lt;bundle&gt;... [--db &lt;file&gt;] [--report &lt;dir&gt;]</c>.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var runs = new Argument<string[]>("runs")
        {
            Description = "Recorded run files or folders of them (tau-bench trajectories, tau2-bench simulation files, AgentDojo .jsonl runs, BFCL _result.json files).",
            Arity = ArgumentArity.OneOrMore,
        };
        var agent = new Option<string[]>("--agent", "-a")
        {
            Description = "Agent bundle folder: agent.yaml, tools.json, policies.yaml (see samples/). Repeat it, or give a folder of bundles (e.g. samples/agentdojo), "
                + "to govern each domain by its own bundle: every bundle then declares 'domain' and each run goes to the bundle of its domain.",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var db = new Option<string>("--db")
        {
            Description = "SQLite file the replayed runs are stored in.",
            DefaultValueFactory = _ => "keel.db",
        };
        var report = new Option<string>("--report")
        {
            Description = "Folder for report.html and report.json.",
            DefaultValueFactory = _ => "keel-report",
        };
        var parallelism = new Option<int>("--parallelism")
        {
            Description = "Runs replayed at once (default: the number of cores).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var command = new Command("replay", "Replay recorded agent runs through Keel's pipeline in audit mode: every tool call is decided by the agent bundle's policies, the recorded result stands in for the tool. Stores the runs, prints a summary and writes report.html and report.json.")
        {
            runs, agent, db, report, parallelism,
        };
        var classifier = new ModelOptions(command, "classifier", "classifier of each run's topic and outcome (tags beside the deterministic ones)");
        var plugins = new PluginOptions(command);
        command.SetAction((parse, cancellationToken) => classifier.TryCreate(parse, AnsiConsole.Console, out var model) && plugins.TryCompose(parse, AnsiConsole.Console, out var composition)
            ? RunAsync(parse.GetValue(runs)!, parse.GetValue(agent)!, parse.GetValue(db)!, parse.GetValue(report)!, parse.GetValue(parallelism), model, composition!.Components, cancellationToken)
            : Task.FromResult(ExitCodes.BadInput));
        return command;
    }

    private static async Task<int> RunAsync(
        string[] inputs, string[] bundles, string dbPath, string reportDir, int parallelism, (Microsoft.Extensions.AI.IChatClient Client, Classification.JsonChat Chat)? classifier,
        Composition.KeelComponents components, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;

        // Exports an invoke_agent span per run and its execute_tool spans over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/telemetry.md); disposing flushes.
        using var telemetry = KeelTelemetry.CreateProviders();
        if (AgentBundles.Load(bundles, console, components) is not { } agents)
        {
            return ExitCodes.BadInput;
        }

        var missing = inputs.FirstOrDefault(i => !File.Exists(i) && !Directory.Exists(i));
        if (missing is not null)
        {
            console.MarkupLineInterpolated($"[red]error:[/] no run file or folder at '{missing}'.");
            return ExitCodes.BadInput;
        }

        ReplayReport result;
        int replaced, replacedLive;
        try
        {
            await using var store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = dbPath }, cancellationToken: cancellationToken).ConfigureAwait(false);
            var job = new ReplayJob(agents, store)
            {
                Parallelism = Math.Max(1, parallelism),
                Components = components,
                Classifier = classifier is { } c ? new Classification.ConversationClassifier(c.Client, c.Chat) : null,
            };
            result = await ReplayProgressBar.RunAsync(KeelConsole.ForProgress(), progress => job.RunAsync(inputs, progress, cancellationToken)).ConfigureAwait(false);
            (replaced, replacedLive) = (job.ReplacedRuns, job.ReplacedLiveRuns);
        }
        catch (ArgumentException ex) when (ex.ParamName == "agents")
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message.Split(" (Parameter")[0]}");
            return ExitCodes.BadInput;
        }
        catch (InvalidDataException ex)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (StoreException ex)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.StoreFailed;
        }

        ReplaySummary.Write(console, result);
        foreach (var warning in result.Warnings)
        {
            // On stderr, so a piped summary stays the summary; also in report.json's warnings.
            await Console.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }

        var (html, json) = await ReportFiles.WriteAsync(reportDir, result, cancellationToken).ConfigureAwait(false);
        console.MarkupLineInterpolated($"Runs stored in [bold]{Path.GetFullPath(dbPath)}[/] (origin: replay)");
        if (replaced > 0)
        {
            // Saving a run id again replaces the stored run: say so, and say when live runs were among them.
            console.MarkupLineInterpolated($"Replaced {replaced} {(replaced == 1 ? "run" : "runs")} already stored under the same ids{(replacedLive > 0 ? $", {replacedLive} of them live runs" : string.Empty)}.");
        }

        console.MarkupLineInterpolated($"Report: [bold]{html}[/] and [bold]{json}[/]");
        return ExitCodes.Ok;
    }
}
