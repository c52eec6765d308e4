using System.Globalization;
using System.Text;

namespace Keel.Reports;

/// <summary>The "Malformed calls" section of <c>report.html</c>: recall, precision and valid runs flagged, a table per
/// benchmark error type and per finding type, and the false positives. Written only when the report has call labels or
/// call findings.</summary>
internal static class CallCheckHtml
{
    public static void Write(StringBuilder html, ReplayReport report)
    {
        var c = report.CallChecks;
        if (c.LabelledRuns == 0 && c.ByFindingType.Count == 0)
        {
            return;
        }

        var m = report.Metrics;
        html.Append("<h2>Malformed calls</h2><p class=\"muted\">A run is flagged when Keel raised a call finding on it: a call the schema stage denied (wrong function, missing or extra argument, wrong type, unparseable arguments, value not allowed) or a call that fits nothing the user asked. Labels: the benchmark's checker (BFCL), never shown to Keel's checks.</p>");
        html.Append("<div class=\"cards\">");
        HtmlReportWriter.Card(html, HtmlReportWriter.Pct(m.WrongCallsRecall), $"wrong calls flagged ({c.WrongRunsFlagged} of {c.WrongRuns})");
        HtmlReportWriter.Card(html, HtmlReportWriter.Pct(m.WrongCallsPrecision), "precision of the flags");
        HtmlReportWriter.Card(html, HtmlReportWriter.Pct(m.ValidCallsFlaggedShare), $"valid calls flagged ({c.ValidRunsFlagged} of {c.ValidRuns})");
        html.Append("</div>");
        html.Append("<h3>By error type of the labels</h3>");
        HtmlReportWriter.Table(html, ["error type", "runs", "flagged", "recall"],
            c.ByErrorType.Select(e => new[] { e.ErrorType, N(e.Runs), N(e.Flagged), HtmlReportWriter.Pct(e.Recall) }));
        html.Append("<h3>By finding type</h3>");
        HtmlReportWriter.Table(html, ["finding", "findings", "runs", "labelled wrong", "labelled valid", "precision"],
            c.ByFindingType.Select(f => new[] { f.FindingType, N(f.Findings), N(f.Runs), N(f.WrongRuns), N(f.ValidRuns), HtmlReportWriter.Pct(f.Precision) }));
        html.Append("<h3>Valid calls flagged (false positives)</h3>");
        HtmlReportWriter.Table(html, ["run", "domain", "finding", "message"], c.FlaggedValidRuns.Select(e => new[] { e.RunId, e.Domain, e.FindingType ?? string.Empty, e.Message }));
        html.Append("<h3>Wrong calls not flagged (first ").Append(c.MissedWrongRuns.Count).Append(')').Append("</h3>");
        HtmlReportWriter.Table(html, ["run", "domain", "error type", "calls"], c.MissedWrongRuns.Select(e => new[] { e.RunId, e.Domain, e.Label, e.Message }));
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
