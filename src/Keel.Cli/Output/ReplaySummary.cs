using System.Globalization;
using Keel.Reports;
using Spectre.Console;

namespace Keel.Cli.Output;

/// <summary>Prints the replay summary table.</summary>
internal static class ReplaySummary
{
    public static void Write(IAnsiConsole console, ReplayReport report)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"Keel replay — {report.Agent.Name} {report.Agent.Version} (policy {report.Agent.PolicyId} {report.Agent.PolicyVersion})");
        foreach (var header in (string[])["domain", "runs", "tool calls", "denied", "held", "unsafe writes held", "expected writes held", "outcome agreement", "claim mismatches", "handoffs"])
        {
            table.AddColumn(new TableColumn(header).RightAligned());
        }

        foreach (var domain in report.ByDomain)
        {
            table.AddRow(Row(domain.Domain, domain.Metrics));
        }

        if (report.ByDomain.Count != 1)
        {
            table.AddRow(Row("[bold]all[/]", report.Metrics));
        }

        console.Write(table);
        var m = report.Metrics;
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"{m.RunsReplayed} runs replayed, {m.RunsSkipped} skipped, in {m.ElapsedMs:0} ms ({m.RunsPerSecond:0} runs/s)."));
        foreach (var skipped in report.Skipped.Take(10))
        {
            console.MarkupLineInterpolated($"[yellow]skipped:[/] {skipped.File} record {skipped.RecordIndex} at {skipped.JsonPath}: {skipped.Message}");
        }
    }

    private static string[] Row(string name, ReportMetrics m) =>
    [
        name,
        m.RunsReplayed.ToString(CultureInfo.InvariantCulture),
        m.ToolCalls.ToString(CultureInfo.InvariantCulture),
        m.Decisions.GetValueOrDefault("deny").ToString(CultureInfo.InvariantCulture),
        (m.Decisions.GetValueOrDefault("require_approval") + m.Decisions.GetValueOrDefault("escalate")).ToString(CultureInfo.InvariantCulture),
        Share(m.UnsafeWritesHeldShare, m.UnsafeWritesHeld, m.UnsafeWrites),
        Share(m.ExpectedWritesHeldShare, m.ExpectedWritesHeld, m.ExpectedWrites),
        m.OutcomeAgreement is { } a ? a.ToString("0.0%", CultureInfo.InvariantCulture) : "n/a",
        m.ClaimResultMismatches.ToString(CultureInfo.InvariantCulture),
        m.Handoffs.ToString(CultureInfo.InvariantCulture),
    ];

    private static string Share(double? share, int count, int of) =>
        share is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:0.0%} ({count}/{of})") : "n/a";
}
