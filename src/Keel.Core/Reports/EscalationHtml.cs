using System.Globalization;
using System.Text;

namespace Keel.Reports;

/// <summary>The "Escalation, tags and sentiment" section of the HTML report: per domain, the escalation rules' precision, recall and F1
/// against the labels beside the agent's own transfers, topic accuracy, sentiment and the conversation tags.</summary>
internal static class EscalationHtml
{
    public static void Write(StringBuilder html, ReplayReport report)
    {
        html.Append("<h2>Escalation, tags and sentiment</h2>");
        var rows = report.ByDomain.Select(d => (d.Domain, d.Metrics)).Append(("all", report.Metrics));
        HtmlReportWriter.Table(html, ["domain", "escalated by rules", "should go to a human", "precision", "recall", "F1", "agent transfers (F1)", "agent transfers not needed", "topic accuracy", "sentiment negative", "turned negative", "tags"],
            rows.Select(r => new[]
            {
                r.Item1, N(r.Item2.EscalatedRuns), r.Item2.EscalationLabelledRuns == 0 ? "n/a" : $"{N(r.Item2.EscalationExpected)} of {N(r.Item2.EscalationLabelledRuns)}",
                Pct(r.Item2.EscalationPrecision), Pct(r.Item2.EscalationRecall), Pct(r.Item2.EscalationF1), Pct(r.Item2.AgentTransferF1),
                r.Item2.AgentTransfersNotNeeded is { } n ? N(n) : "n/a",
                r.Item2.TopicLabelledRuns == 0 ? "n/a" : $"{Pct(r.Item2.TopicAccuracy)} of {N(r.Item2.TopicLabelledRuns)}",
                N(r.Item2.SentimentTags.GetValueOrDefault("sentiment_negative")), N(r.Item2.SentimentTurnedNegative),
                string.Join(", ", r.Item2.Tags.Select(t => $"{t.Key} {N(t.Value)}")),
            }));
        var rules = report.Metrics.EscalationByRule;
        if (rules.Count > 0)
        {
            HtmlReportWriter.Table(html, ["escalation rule", "runs it fired in", "of them expecting a transfer"], rules.Select(r => new[] { r.Key, N(r.Value.Fired), N(r.Value.Expected) }));
        }

        if (report.Metrics.TopicConfusion is { } confusion)
        {
            var predicted = confusion.Values.SelectMany(r => r.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            HtmlReportWriter.Table(html, ["label \\ predicted", .. predicted],
                confusion.Select(r => new[] { r.Key }.Concat(predicted.Select(p => N(r.Value.GetValueOrDefault(p)))).ToArray()));
        }
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Pct(double? share) => share is { } s ? s.ToString("0.0%", CultureInfo.InvariantCulture) : "n/a";
}
