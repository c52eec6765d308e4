using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Keel.Backtest;
using Keel.Cli.Output;
using Keel.Cli.Plugins;
using Keel.Evals;
using Keel.Importers;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel backtest &lt;runs&gt;... --agent &lt;draft&gt; --baseline &lt;released&gt; [--json F]</c>: the decision diff between
/// two versions over the same recorded runs (docs/evals.md).</summary>
internal static class BacktestCommand
{
    public static Command Create()
    {
        var runs = new Argument<string[]>("runs") { Description = "Recorded run files or folders (any format keel replay reads).", Arity = ArgumentArity.OneOrMore };
        var agent = new Option<string>("--agent", "-a") { Description = "The draft bundle.", Required = true };
        var baseline = new Option<string>("--baseline") { Description = "The released bundle.", Required = true };
        var json = new Option<string?>("--json") { Description = "Write the report as JSON to this file." };
        var parallelism = new Option<int>("--parallelism") { Description = "Runs replayed at once (default: the number of cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("backtest", "Replay recorded runs under a draft bundle beside the released one and report the decision diff: per rule, which calls would now be denied, held or let through, "
            + "with examples, and the effect on the metrics with 95 % Wilson intervals and McNemar's test. Exit codes: 0 done, 2 bad input.")
        {
            runs, agent, baseline, json, parallelism,
        };
        var plugins = new PluginOptions(command);
        command.SetAction((parse, cancellationToken) => plugins.TryCompose(parse, AnsiConsole.Console, out var composition)
            ? RunAsync(parse.GetValue(runs)!, parse.GetValue(agent)!, parse.GetValue(baseline)!, parse.GetValue(json), parse.GetValue(parallelism), composition!.Components, cancellationToken)
            : Task.FromResult(ExitCodes.BadInput));
        return command;
    }

    private static async Task<int> RunAsync(
        string[] inputs, string draftBundle, string releasedBundle, string? json, int parallelism, Composition.KeelComponents components, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        if (AgentBundles.Load([draftBundle], console, components) is not [var draft] || AgentBundles.Load([releasedBundle], console, components) is not [var released])
        {
            return ExitCodes.BadInput;
        }

        var diagnostics = new ImportDiagnostics();
        if (await RunFiles.ReadAsync(inputs, diagnostics, components.Importers, console, cancellationToken).ConfigureAwait(false) is not { } runs)
        {
            return ExitCodes.BadInput;
        }

        var report = await new BacktestJob(draft, released) { Parallelism = Math.Max(1, parallelism), Components = components }.RunAsync(runs, cancellationToken).ConfigureAwait(false);
        report = report with { SkippedRecords = [.. diagnostics.Skipped.Select(s => s.ToString())] };
        Write(console, report, draftBundle, releasedBundle);
        if (json is not null)
        {
            await ReportFiles.WriteAtomicAsync(json, JsonSerializer.Serialize(report, BacktestJsonContext.Default.BacktestReport) + "\n", cancellationToken).ConfigureAwait(false);
            console.WriteLine($"JSON report: {json}");
        }

        return ExitCodes.Ok;
    }

    private static void Write(IAnsiConsole console, BacktestReport report, string draftBundle, string releasedBundle)
    {
        // The bundle paths too: a draft is often the released bundle edited in a copy, with the same name and version.
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Backtest: draft {report.Draft} ({draftBundle}) against released {report.Released} ({releasedBundle}): {report.Runs} runs, {report.Calls} governed calls, {report.ChangedCalls} decisions changed ({report.ElapsedMs:0} ms)"));
        var rules = new Table().AddColumns("rule", "now denied", "now held", "now let through", "other");
        foreach (var rule in report.Rules)
        {
            rules.AddRow(Markup.Escape(rule.RuleId), N(rule.Denied), N(rule.Held), N(rule.LetThrough), N(rule.Changed));
        }

        console.Write(rules);
        var examples = new Table().AddColumns("run", "tool", "arguments", "old → new", "rule", "reason", "label");
        foreach (var change in report.Rules.SelectMany(r => r.Examples.Take(3)))
        {
            examples.AddRow(Markup.Escape(change.RunId), Markup.Escape(change.Tool), Markup.Escape(change.Arguments), $"{change.Old} → {change.New}", Markup.Escape(change.RuleId), Markup.Escape(change.Reason), Markup.Escape(change.Label ?? "-"));
        }

        if (report.ChangedCalls > 0)
        {
            console.Write(examples);
        }

        var metrics = new Table().AddColumns("metric", "released (95 % Wilson)", "draft (95 % Wilson)", "McNemar p");
        foreach (var m in report.Metrics)
        {
            metrics.AddRow(Markup.Escape(m.Name), Rate(m.Released), Rate(m.Draft), m.Test.PValue.ToString("0.#####", CultureInfo.InvariantCulture));
        }

        foreach (var w in report.Workflows)
        {
            metrics.AddRow(Markup.Escape($"TSR {w.Workflow} (rewards)"), Markup.Escape(Pct(w.Tsr, w.Successes, w.Labelled)), Markup.Escape(Pct(w.Tsr, w.Successes, w.Labelled)), "-");
        }

        console.Write(metrics);
    }

    private static string N(int n) => n == 0 ? "-" : n.ToString(CultureInfo.InvariantCulture);

    private static string Rate(RateSummary r) => Markup.Escape(Pct(r.Rate, r.Count, r.Total));

    private static string Pct(Statistics.ConfidenceInterval ci, int count, int total) =>
        string.Create(CultureInfo.InvariantCulture, $"{ci.Estimate * 100:0.0} % [{ci.Lower * 100:0.0}, {ci.Upper * 100:0.0}] ({count}/{total})");
}
