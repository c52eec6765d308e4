using System.CommandLine;
using Keel.Cli.Output;
using Keel.Evals;
using Keel.Importers;
using Keel.Cli.Plugins;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel eval &lt;suite&gt; --agent &lt;bundle&gt; [--baseline &lt;bundle&gt;] [--margin pp] [--json F] [--html F] [--junit F]</c>
/// and <c>keel eval build-suite &lt;runs&gt;... --agent &lt;bundle&gt; --out &lt;file&gt;</c> (docs/evals.md).</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var suite = new Argument<string>("suite") { Description = "An eval suite file (JSON, docs/evals.md), e.g. samples/evals/tau-bench-airline.json." };
        var agent = new Option<string>("--agent", "-a") { Description = "The agent bundle under test (agent.yaml, tools.json, policies.yaml).", Required = true };
        var baseline = new Option<string?>("--baseline") { Description = "The released bundle to compare with, case by case; the gate fails (exit 9) only on a significant regression beyond --margin." };
        var margin = new Option<double>("--margin") { Description = "Regression tolerated, in percentage points of pass rate (and of mean score x100). Default 0.", DefaultValueFactory = _ => 0 };
        var alpha = new Option<double>("--alpha") { Description = "Significance level of the gate (McNemar, and 1 - the level of the bootstrap intervals). Default 0.05.", DefaultValueFactory = _ => 0.05 };
        var json = new Option<string?>("--json") { Description = "Write the report as JSON to this file." };
        var html = new Option<string?>("--html") { Description = "Write the report as a self-contained HTML page to this file." };
        var junit = new Option<string?>("--junit") { Description = "Write JUnit XML (one testcase per case, plus release-gate) to this file." };
        var parallelism = new Option<int>("--parallelism") { Description = "Cases replayed at once (default: the number of cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("eval", "Run an eval suite: replay each case's recorded run under the agent bundle in audit mode, run the case's checks, and print the pass rate with its 95 % Wilson interval, "
            + "the mean score with its bootstrap interval and the task success rate per workflow. With --baseline, compare per case (McNemar, paired bootstrap). "
            + "Exit codes: 0 done (no significant regression), 2 bad input, 9 significant regression beyond the margin.")
        {
            suite, agent, baseline, margin, alpha, json, html, junit, parallelism,
        };
        var judge = new ModelOptions(command, "judge", "judge of each case on its rubrics (scores beside the deterministic checks)");
        var plugins = new PluginOptions(command);
        command.SetAction((parse, cancellationToken) => judge.TryCreate(parse, AnsiConsole.Console, out var model) && plugins.TryCompose(parse, AnsiConsole.Console, out var composition)
            ? EvalRun.RunAsync(
                new EvalRun.Arguments(parse.GetValue(suite)!, parse.GetValue(agent)!, parse.GetValue(baseline), parse.GetValue(margin), parse.GetValue(alpha),
                    parse.GetValue(json), parse.GetValue(html), parse.GetValue(junit), parse.GetValue(parallelism))
                { Judge = model is { } m ? new EvalJudging(new EvalJudge(m.Chat), m.Client) : null, Components = composition!.Components },
                TimeProvider.System,
                cancellationToken)
            : Task.FromResult(ExitCodes.BadInput));
        command.Subcommands.Add(BuildSuite());
        return command;
    }

    private static Command BuildSuite()
    {
        var runs = new Argument<string[]>("runs") { Description = "Labelled run files or folders (tau-bench, tau2-bench).", Arity = ArgumentArity.OneOrMore };
        var agent = new Option<string>("--agent", "-a") { Description = "The bundle whose tools.json says which tools write and which hand off.", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "The suite file to write.", Required = true };
        var name = new Option<string?>("--name") { Description = "The suite's name (default: the output file's name without extension)." };
        var command = new Command("build-suite", "Build an eval suite from labelled recorded runs: one case per run with expected actions and something to check, "
            + "its expected outcome and checks derived from the labels only. Exit codes: 0 written, 2 bad input.")
        {
            runs, agent, output, name,
        };
        var plugins = new PluginOptions(command);
        command.SetAction((parse, cancellationToken) => plugins.TryCompose(parse, AnsiConsole.Console, out var composition)
            ? BuildSuiteAsync(parse.GetValue(runs)!, parse.GetValue(agent)!, parse.GetValue(output)!, parse.GetValue(name), composition!.Components, cancellationToken)
            : Task.FromResult(ExitCodes.BadInput));
        return command;
    }

    private static async Task<int> BuildSuiteAsync(string[] runs, string bundle, string output, string? name, Composition.KeelComponents components, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        if (AgentBundles.Load([bundle], console, components) is not [var agent])
        {
            return ExitCodes.BadInput;
        }

        var diagnostics = new ImportDiagnostics();
        if (await RunFiles.ReadAsync(runs, diagnostics, components.Importers, console, cancellationToken).ConfigureAwait(false) is not { } recorded)
        {
            return ExitCodes.BadInput;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(output))!;
        var command = $"keel eval build-suite {string.Join(' ', runs)} --agent {bundle} --out {output}{(name is null ? string.Empty : $" --name {name}")}";
        var (built, leftOut) = await EvalSuiteBuilder.BuildAsync(name ?? Path.GetFileNameWithoutExtension(output), recorded, agent, folder, command, cancellationToken).ConfigureAwait(false);
        await EvalSuiteFile.WriteAsync(output, built, cancellationToken).ConfigureAwait(false);
        console.MarkupLineInterpolated($"Suite [bold]{built.Suite}[/]: {built.Cases.Count} cases from {recorded.Count} runs ({leftOut.Count} left out, {diagnostics.SkippedCount} records skipped) written to {output}");
        foreach (var group in leftOut.GroupBy(l => l.Reason))
        {
            console.MarkupLineInterpolated($"  left out, {group.Key}: {group.Count()}");
        }

        return ExitCodes.Ok;
    }
}
