using System.CommandLine;

namespace Keel.Cli.Commands;

/// <summary><c>keel drift --baseline &lt;runs&gt;... --current &lt;runs&gt;... --agent &lt;bundle&gt; [--json] [--out F] [--alert-webhook URL]</c>:
/// replay both sets in audit mode and test every drift metric (docs/drift.md).</summary>
internal static class DriftCommand
{
    public static Command Create()
    {
        var baseline = new Option<string[]>("--baseline", "-b")
        {
            Description = "The baseline's recorded run files or folders (any format keel replay reads).",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var current = new Option<string[]>("--current", "-c")
        {
            Description = "The current runs' files or folders, compared with the baseline.",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var agent = new Option<string[]>("--agent", "-a")
        {
            Description = "Agent bundle both sets are replayed under (audit mode). Repeat it, or give a folder of bundles, to govern each domain by its own bundle.",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON on stdout instead of the table." };
        var output = new Option<string?>("--out", "-o") { Description = "Write the report as JSON to this file (e.g. drift.json)." };
        var webhook = HttpUrlOption.Create("--alert-webhook", "POST a Slack-compatible message ({\"text\": ...}) to this URL when a metric drifted.", "https://hooks.slack.com/services/...");
        var alpha = new Option<double>("--alpha") { Description = "False discovery rate q of the Benjamini-Hochberg correction over all metrics.", DefaultValueFactory = _ => Drift.DriftOptions.DefaultFalseDiscoveryRate };
        var minRuns = new Option<int>("--min-runs") { Description = "Runs each side needs for a metric to be tested; fewer is reported not_enough_runs.", DefaultValueFactory = _ => Drift.DriftOptions.DefaultMinRuns };
        var parallelism = new Option<int>("--parallelism") { Description = "Runs replayed at once (default: the number of cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var splitTrials = new Option<int>("--split-trials")
        {
            Description = "Measure false alarms instead: split the --baseline runs into two random halves this many times and count the splits with a drifted metric (docs/drift.md).",
            Hidden = true,
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the random splits.", DefaultValueFactory = _ => 1, Hidden = true };
        var independent = new Option<bool>("--independent-calls")
        {
            Description = "Treat tool calls and messages as independent observations (wrong for runs; shows the false alarms it causes).",
            Hidden = true,
        };
        var command = new Command("drift", "Test for drift between a baseline set of recorded runs and a current one: replay both under the agent bundle in audit mode, "
            + "measure response length, customer sentiment, outcome tags, topics, escalation, abstention, tool errors, writes held and denied, task success rate "
            + "and cost per successful run, test each (two-proportion z or Fisher, Kolmogorov-Smirnov, chi-square with Jensen-Shannon distance) and correct for testing "
            + "them together (Benjamini-Hochberg). Exit codes: 0 no drift, 2 bad input, 10 a metric drifted.")
        {
            baseline, current, agent, json, output, webhook, alpha, minRuns, parallelism, splitTrials, seed, independent,
        };
        var plugins = new Plugins.PluginOptions(command);
        command.SetAction((parse, cancellationToken) => plugins.TryCompose(parse, Spectre.Console.AnsiConsole.Console, out var composition)
            ? DriftRun.RunAsync(
                new DriftRun.Arguments(parse.GetValue(baseline)!, parse.GetValue(current) ?? [], parse.GetValue(agent)!, parse.GetValue(json), parse.GetValue(output),
                    parse.GetValue(webhook), parse.GetValue(alpha), parse.GetValue(minRuns), parse.GetValue(parallelism), parse.GetValue(splitTrials), parse.GetValue(seed),
                    parse.GetValue(independent)) { Components = composition!.Components },
                cancellationToken)
            : Task.FromResult(ExitCodes.BadInput));
        return command;
    }
}
