using System.Text.Json;
using Keel.Cli.Output;
using Keel.Evals;
using Keel.Importers;
using Keel.Replay;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary>What <c>keel eval &lt;suite&gt;</c> does: load, replay under the candidate (and the baseline), gate, print and write reports.</summary>
internal static class EvalRun
{
    internal sealed record Arguments(string Suite, string Agent, string? Baseline, double MarginPp, double Alpha, string? Json, string? Html, string? JUnit, int Parallelism)
    {
        /// <summary>The optional LLM judge; <see langword="null"/> when off.</summary>
        public EvalJudging? Judge { get; init; }

        /// <summary>The composition (plugins included) the bundles load and the cases replay with.</summary>
        public Composition.KeelComponents Components { get; init; } = Composition.KeelComponents.Standard;
    }

    public static async Task<int> RunAsync(Arguments args, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        if (args.MarginPp < 0 || args.MarginPp >= 100 || !(args.Alpha > 0 && args.Alpha < 1))
        {
            console.MarkupLine("[red]error:[/] --margin is in percentage points, 0 or more and below 100; --alpha is in (0, 1), e.g. 0.05.");
            return ExitCodes.BadInput;
        }

        if (AgentBundles.Load([args.Agent], console, args.Components) is not [var agent])
        {
            return ExitCodes.BadInput;
        }

        Model.AgentVersion? baseline = null;
        if (args.Baseline is not null)
        {
            if (AgentBundles.Load([args.Baseline], console, args.Components) is not [var b])
            {
                return ExitCodes.BadInput;
            }

            baseline = b;
        }

        EvalSuite suite;
        IReadOnlyDictionary<string, RecordedRun> runs;
        var diagnostics = new ImportDiagnostics();
        try
        {
            suite = await EvalSuiteFile.ReadAsync(args.Suite, cancellationToken).ConfigureAwait(false);
            runs = await EvalRunner.LoadRunsAsync(suite, Path.GetDirectoryName(Path.GetFullPath(args.Suite))!, diagnostics, args.Components.Importers, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadInput;
        }

        if (suite.Cases.Count == 0)
        {
            console.MarkupLineInterpolated($"[red]error:[/] the suite '{args.Suite}' has no cases.");
            return ExitCodes.BadInput;
        }

        var parallelism = Math.Max(1, args.Parallelism);
        var results = await RunOneAsync("candidate", new EvalRunner(agent) { Parallelism = parallelism, Judge = args.Judge, Components = args.Components }, suite, runs, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<CaseResult>? baselineResults = null;
        GateResult? gate = null;
        if (baseline is not null)
        {
            baselineResults = await RunOneAsync("baseline", new EvalRunner(baseline) { Parallelism = parallelism, Judge = args.Judge, Components = args.Components }, suite, runs, cancellationToken).ConfigureAwait(false);
            gate = EvalGate.Compare(results, baselineResults, new GateOptions { MarginPp = args.MarginPp, Alpha = args.Alpha });
        }

        var report = new EvalReport
        {
            Suite = suite.Suite,
            Agent = EvalDescriptions.Of(agent),
            Baseline = baseline is null ? null : EvalDescriptions.Of(baseline),
            GeneratedAt = timeProvider.GetUtcNow(),
            Summary = EvalSummary.Of(results),
            BaselineSummary = baselineResults is null ? null : EvalSummary.Of(baselineResults),
            Gate = gate,
            Cases = results,
            Judge = args.Judge is null ? null : JudgeRubricSummary.Of(results),
            BaselineJudge = args.Judge is null || baselineResults is null ? null : JudgeRubricSummary.Of(baselineResults),
            JudgeDifference = args.Judge is null || baselineResults is null ? null : JudgeRubricSummary.Compare(results, baselineResults, 1 - args.Alpha),
            JudgeCost = args.Judge?.Evaluator.Chat.Snapshot(),
            SkippedRecords = [.. diagnostics.Skipped.Select(s => s.ToString())],
        };
        EvalOutput.Write(console, report);
        await WriteReportsAsync(args, report, console, cancellationToken).ConfigureAwait(false);
        return gate?.Failed == true ? ExitCodes.Regression : ExitCodes.Ok;
    }

    private static Task<IReadOnlyList<CaseResult>> RunOneAsync(string label, EvalRunner runner, EvalSuite suite, IReadOnlyDictionary<string, RecordedRun> runs, CancellationToken cancellationToken) =>
        // Progress on stderr when it is a terminal, so stdout stays the summary and redirected output carries no progress lines.
        ProgressDisplay.RunAsync(KeelConsole.ForProgress(), async context =>
        {
            var task = context?.AddTask($"eval {label}: {suite.Cases.Count} cases", maxValue: Math.Max(1, suite.Cases.Count));
            var results = await runner.RunAsync(suite, runs, new SynchronousProgress<int>(done => task?.Value = done), cancellationToken).ConfigureAwait(false);
            if (task is not null)
            {
                task.Value = task.MaxValue;
            }

            return results;
        });

    private static async Task WriteReportsAsync(Arguments args, EvalReport report, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (args.Json is { } json)
        {
            await ReportFiles.WriteAtomicAsync(json, JsonSerializer.Serialize(report, EvalJson.Context.EvalReport) + "\n", cancellationToken).ConfigureAwait(false);
            console.MarkupLineInterpolated($"JSON report: {json}");
        }

        if (args.Html is { } html)
        {
            await ReportFiles.WriteAtomicAsync(html, EvalHtmlWriter.Render(report), cancellationToken).ConfigureAwait(false);
            console.MarkupLineInterpolated($"HTML report: {html}");
        }

        if (args.JUnit is { } junit)
        {
            await ReportFiles.WriteAtomicAsync(junit, (stream, ct) => JUnitWriter.WriteAsync(report, stream, ct), cancellationToken).ConfigureAwait(false);
            console.MarkupLineInterpolated($"JUnit XML: {junit}");
        }
    }
}
