using System.Globalization;
using Keel.Mcp.Live;
using Spectre.Console;

namespace Keel.Cli.Output;

/// <summary>The progress bar and summary of <c>keel replay-live</c>.</summary>
internal static class LiveReplayOutput
{
    /// <summary>Runs <paramref name="replay"/>, drawing its progress on <paramref name="console"/>; with no console (stderr is not a terminal:
    /// <see cref="KeelConsole.ForProgress"/>) it runs without a bar.</summary>
    public static Task<LiveReplayResult> WithProgressAsync(IAnsiConsole? console, int runs, Func<IProgress<LiveReplayProgress>, Task<LiveReplayResult>> replay) =>
        ProgressDisplay.RunAsync(console, async context =>
        {
            var task = context?.AddTask($"replayed 0/{runs} runs live", maxValue: Math.Max(1, runs));
            var result = await replay(new SynchronousProgress<LiveReplayProgress>(p =>
            {
                if (task is not null)
                {
                    task.Value = p.RunsDone;
                    task.Description = $"replayed {p.RunsDone}/{p.RunsTotal} runs live, {p.CallsDone} calls";
                }
            })).ConfigureAwait(false);
            if (task is not null)
            {
                task.Value = task.MaxValue;
            }

            return result;
        });

    public static void WriteSummary(IAnsiConsole console, Uri server, LiveReplayResult result, IReadOnlyList<CallAgreement>? agreements, TimeSpan elapsed)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"Keel live replay through {server}")).AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("runs replayed", N(result.Runs.Count - result.FailedRuns));
        table.AddRow("runs stopped by the server", N(result.FailedRuns));
        table.AddRow("tool calls", N(result.CallCount));
        foreach (var (kind, count) in result.DecisionsByKind)
        {
            table.AddRow(Markup.Escape($"  {kind}"), N(count));
        }

        table.AddRow("reached the upstream", N(result.ReachedUpstream));
        table.AddRow("  answered as recorded", Share(result.AnsweredAsRecorded, result.ReachedUpstream));
        if (agreements is not null)
        {
            table.AddRow("decisions as keel replay", Share(agreements.Count(a => a.Identical), agreements.Count));
            var before = agreements.Where(a => a.BeforeDivergence).ToList();
            table.AddRow("  while results agree", Share(before.Count(a => a.Identical), before.Count));
        }

        console.Write(table);
        var runsPerSecond = result.Runs.Count / Math.Max(elapsed.TotalSeconds, 0.001);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Runs.Count} runs, {result.CallCount} calls in {elapsed.TotalMilliseconds:0} ms ({runsPerSecond:0.0} runs/s)."));
        foreach (var stopped in result.Runs.Where(r => !r.Completed).Take(10))
        {
            console.MarkupLineInterpolated($"[yellow]stopped:[/] run {stopped.RunId} after {stopped.Calls.Count} calls: {stopped.Error}");
        }

        foreach (var differs in (agreements ?? []).Where(a => !a.Identical).Take(20))
        {
            var after = differs.DivergedAt is { } d ? $"after call {d.CallIndex} ({d.ToolName}): {d.Reason}" : "while every earlier result agreed";
            console.MarkupLineInterpolated(
                $"[yellow]differs:[/] {differs.RunId} call {differs.CallIndex} ({differs.ToolName}): replay {Decision(differs.AuditKind, differs.AuditRuleId)}, live {Decision(differs.LiveKind, differs.LiveRuleId)} — {after}");
        }
    }

    private static string Decision(string? kind, string? rule) => kind is null ? "none (not reached)" : rule is null ? kind : $"{kind} ({rule})";

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Share(int part, int whole) => whole == 0
        ? "0"
        : string.Create(CultureInfo.InvariantCulture, $"{part:N0} of {whole:N0} ({(double)part / whole:0.0%})");
}
