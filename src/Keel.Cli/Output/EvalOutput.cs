using System.Globalization;
using Keel.Evals;
using Keel.Statistics;
using Spectre.Console;

namespace Keel.Cli.Output;

/// <summary>Prints an eval report's summary: pass rates and scores with intervals, TSR per workflow, the gate's verdict.</summary>
internal static class EvalOutput
{
    public static void Write(IAnsiConsole console, EvalReport report)
    {
        var s = report.Summary;
        console.MarkupLineInterpolated($"Suite [bold]{report.Suite}[/]: {s.Cases} cases under {report.Agent}");
        var table = new Table().AddColumns("measure", report.Baseline is null ? "agent" : "candidate");
        if (report.BaselineSummary is not null)
        {
            table.AddColumn("baseline");
        }

        void Row(string name, Func<EvalSummary, string> value)
        {
            var cells = new List<string> { name, value(s) };
            if (report.BaselineSummary is { } b)
            {
                cells.Add(value(b));
            }

            table.AddRow([.. cells.Select(Markup.Escape)]);
        }

        Row("pass rate (95 % Wilson)", x => $"{Pct(x.PassRate)} ({x.Passed}/{x.Cases})");
        Row("mean score (95 % bootstrap)", x => Mean(x.MeanScore));
        foreach (var check in EvalChecks.All)
        {
            Row($"  {check}", x => x.ByCheck.FirstOrDefault(c => c.Name == check) is { } c ? $"{Pct(c.Rate)} ({c.Count}/{c.Total})" : "-");
        }

        foreach (var workflow in s.Workflows)
        {
            Row($"TSR {workflow.Workflow} (rewards, 95 % Wilson)", x => x.Workflows.FirstOrDefault(w => w.Workflow == workflow.Workflow) is { } w ? $"{Pct(w.Tsr)} ({w.Successes}/{w.Labelled})" : "-");
        }

        console.Write(table);
        WriteJudge(console, report);
        if (report.Gate is { } gate)
        {
            var diff = gate.PassRateDifference;
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Pass-rate difference (candidate - baseline): {diff.Estimate * 100:0.#} pp, 95 % [{diff.Lower * 100:0.#}, {diff.Upper * 100:0.#}] pp; score difference {Mean(gate.ScoreDifference)}"));
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"McNemar ({gate.McNemar.Method}): {gate.Regressions.Count} regressed, {gate.Improvements.Count} improved, p = {gate.McNemar.PValue:0.#####}"));
            if (gate.Regressions.Count > 0)
            {
                console.WriteLine($"Regressed: {string.Join(", ", gate.Regressions.Take(10))}{(gate.Regressions.Count > 10 ? ", …" : string.Empty)}");
            }

            console.MarkupLine(gate.Failed ? $"[red]Gate: FAIL[/] — {Markup.Escape(gate.Verdict)}" : $"[green]Gate: PASS[/] — {Markup.Escape(gate.Verdict)}");
        }
    }

    private static void WriteJudge(IAnsiConsole console, EvalReport report)
    {
        if (report.JudgeCost is not { } cost)
        {
            return;
        }

        foreach (var rubric in report.Judge ?? [])
        {
            var difference = report.JudgeDifference?.FirstOrDefault(d => d.Rubric == rubric.Rubric);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Judge {rubric.Rubric}: {rubric.Scored}/{rubric.Cases} scored, mean {(rubric.MeanScore is { } m ? Mean(m) : "n/a")}, pass {(rubric.PassRate is { } p ? Pct(p) : "n/a")}{(difference is null ? string.Empty : $"; vs baseline {Mean(difference.Difference)}")}"));
        }

        console.WriteLine(ModelCostOutput.Line("Judge", cost));
    }

    private static string Pct(ConfidenceInterval ci) =>
        string.Create(CultureInfo.InvariantCulture, $"{ci.Estimate * 100:0.0} % [{ci.Lower * 100:0.0}, {ci.Upper * 100:0.0}]");

    private static string Mean(ConfidenceInterval ci) =>
        string.Create(CultureInfo.InvariantCulture, $"{ci.Estimate:0.000} [{ci.Lower:0.000}, {ci.Upper:0.000}]");
}
