using System.Globalization;
using Keel.Reports;
using Spectre.Console;

namespace Keel.Cli.Output;

/// <summary>Prints the replay summary table: one row per metric, one column per domain (plus "all" when there are several), so it fits a narrow terminal.</summary>
internal static class ReplaySummary
{
    private static readonly (string Label, Func<ReportMetrics, string> Value)[] Rows =
    [
        ("runs replayed", m => N(m.RunsReplayed)),
        (SkippedRow, m => N(m.RunsSkipped)),
        ("tool calls", m => N(m.ToolCalls)),
        ("denied", m => N(m.Decisions.GetValueOrDefault("deny"))),
        ("held / escalated", m => N(m.Decisions.GetValueOrDefault("require_approval") + m.Decisions.GetValueOrDefault("escalate"))),
        ("successful writes", m => N(m.SuccessfulWrites)),
        ("unsafe writes held", m => Share(m.UnsafeWritesHeldShare, m.UnsafeWritesHeld, m.UnsafeWrites)),
        ("expected writes held", m => Share(m.ExpectedWritesHeldShare, m.ExpectedWritesHeld, m.ExpectedWrites)),
        ("outcome agreement", m => m.OutcomeAgreement is { } a ? a.ToString("0.0%", CultureInfo.InvariantCulture) : "n/a"),
        ("claim/result mismatches", m => N(m.ClaimResultMismatches)),
        ("repeated questions", m => N(m.RepeatedQuestions)),
        ("handoffs", m => N(m.Handoffs)),
        ("sentiment neg / turned", m => $"{N(m.SentimentTags.GetValueOrDefault("sentiment_negative"))} / {N(m.SentimentTurnedNegative)}"),
        ("escalated by rules", m => N(m.EscalatedRuns)),
        ("escalation precision", m => m.EscalationLabelledRuns == 0 ? "n/a" : Percent(m.EscalationPrecision)),
        ("escalation recall", m => m.EscalationLabelledRuns == 0 ? "n/a" : Percent(m.EscalationRecall)),
        ("escalation F1", m => m.EscalationLabelledRuns == 0 ? "n/a" : Percent(m.EscalationF1)),
        ("transfers not needed", m => m.AgentTransfersNotNeeded is { } n ? N(n) : "n/a"),
        ("topic accuracy", m => m.TopicLabelledRuns == 0 ? "n/a" : Percent(m.TopicAccuracy)),
        ("resolved / escalated", m => $"{N(m.Tags.GetValueOrDefault("outcome_resolved"))} / {N(m.Tags.GetValueOrDefault("outcome_escalated"))}"),
        ("deflect/abandon/fail", m => string.Join("/", ((string[])["outcome_deflected", "outcome_abandoned", "outcome_failed"]).Select(t => N(m.Tags.GetValueOrDefault(t))))),
        ("confused / repeated", m => $"{N(m.Tags.GetValueOrDefault("confused_customer"))} / {N(m.Tags.GetValueOrDefault("customer_repeated_question"))}"),
    ];

    public static void Write(IAnsiConsole console, ReplayReport report)
    {
        var columns = report.ByDomain.Select(d => (d.Domain, d.Metrics)).ToList();
        if (columns.Count != 1)
        {
            columns.Add(("all", report.Metrics));
        }

        // The title is a line of its own: a table title wraps at the table's width.
        console.WriteLine($"Keel replay — {report.Agent.Name} {report.Agent.Version}, policy {report.Agent.PolicyId} {report.Agent.PolicyVersion}");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("metric");
        foreach (var (domain, _) in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(domain)).RightAligned());
        }

        foreach (var (label, value) in Rows)
        {
            table.AddRow([label, .. columns.Select(c => Markup.Escape(label == SkippedRow ? Skipped(report, c.Domain, columns.Count) : value(c.Metrics)))]);
        }

        console.Write(table);
        var m = report.Metrics;
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{m.RunsReplayed} runs replayed, {m.RunsSkipped} skipped, in {m.ElapsedMs:0} ms ({m.RunsPerSecond:0} runs/s)."));
        if (report.CallChecks.LabelledRuns > 0)
        {
            var c = report.CallChecks;
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Malformed calls: {c.WrongRunsFlagged} of {c.WrongRuns} wrong runs flagged (recall {Percent(m.WrongCallsRecall)}, precision {Percent(m.WrongCallsPrecision)}); {c.ValidRunsFlagged} of {c.ValidRuns} valid runs flagged."));
        }

        if (report.Classifier is { } classifier)
        {
            console.WriteLine(ModelCostOutput.Line("Classifier", classifier));
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Topic accuracy: deterministic {Percent(m.TopicAccuracy)} of {m.TopicLabelledRuns} labelled runs, LLM {Percent(m.LlmTopicAccuracy)} of {m.LlmTopicLabelledRuns}."));
        }

        foreach (var skipped in report.Skipped.Take(10))
        {
            console.MarkupLineInterpolated($"[yellow]skipped:[/] {skipped.File} record {skipped.RecordIndex} at {skipped.JsonPath}: {skipped.Message}");
        }

        if (report.Skipped.Count > 10)
        {
            console.WriteLine($"… and {report.Skipped.Count - 10} more skipped records: see report.json.");
        }
    }

    private const string SkippedRow = "runs skipped";

    /// <summary>The skipped count has one source, the report's list of skipped records (<c>metrics.runs_skipped</c>): a skipped record
    /// belongs to no domain, so a lone domain column shows the total and, beside an "all" column, a domain column shows "-".</summary>
    private static string Skipped(ReplayReport report, string column, int columns) =>
        columns == 1 || column == "all" ? N(report.Metrics.RunsSkipped) : "-";

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double? share) => share is { } s ? s.ToString("0.0%", CultureInfo.InvariantCulture) : "n/a";

    private static string Share(double? share, int count, int of) =>
        share is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:0.0%} ({count}/{of})") : "n/a";
}
