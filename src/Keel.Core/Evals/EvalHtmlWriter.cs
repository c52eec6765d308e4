using System.Globalization;
using System.Net;
using System.Text;
using Keel.Statistics;

namespace Keel.Evals;

/// <summary>Writes the eval report as one self-contained HTML page (inline CSS and SVG, no scripts or external assets), in the
/// style of the replay report.</summary>
public static class EvalHtmlWriter
{
    private const string Candidate = "#1d4ed8";
    private const string Base = "#6b7280";
    private const string Bad = "#c2410c";

    /// <summary>Renders the report.</summary>
    /// <param name="report">The eval report.</param>
    /// <returns>The HTML document.</returns>
    public static string Render(EvalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var s = report.Summary;
        var html = new StringBuilder(32 * 1024);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Keel eval — ").Append(E(report.Suite)).Append("</title><style>")
            .Append("body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#111;padding:0 16px}")
            .Append("h1{font-size:22px}h2{font-size:17px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}")
            .Append(".cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #ddd;border-radius:8px;padding:10px 14px;min-width:150px}")
            .Append(".card b{display:block;font-size:22px}.card span{color:#555;font-size:12px}.fail b{color:#c2410c}.pass b{color:#15803d}")
            .Append("table{border-collapse:collapse;width:100%;font-size:12.5px}td,th{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}")
            .Append("th{background:#f6f6f6}.muted{color:#666}")
            .Append("</style></head><body>");
        html.Append("<h1>Keel eval — ").Append(E(report.Suite)).Append("</h1><p class=\"muted\">Agent <b>").Append(E(report.Agent)).Append("</b>");
        if (report.Baseline is { } baseline)
        {
            html.Append(" against baseline <b>").Append(E(baseline)).Append("</b>");
        }

        html.Append(", generated ").Append(report.GeneratedAt.ToString("u", CultureInfo.InvariantCulture))
            .Append(". Every case is a recorded run replayed through the pipeline in audit mode; intervals are 95 %: Wilson for rates, percentile bootstrap (10,000 resamples) for means.</p>");
        html.Append("<div class=\"cards\">");
        Card(html, null, Pct(s.PassRate), $"pass rate ({s.Passed} of {s.Cases}), 95 % [{Pct(s.PassRate.Lower)}, {Pct(s.PassRate.Upper)}]");
        Card(html, null, s.MeanScore.Estimate.ToString("0.000", CultureInfo.InvariantCulture), $"mean score, 95 % [{s.MeanScore.Lower:0.000}, {s.MeanScore.Upper:0.000}]");
        if (report.Gate is { } gate)
        {
            Card(html, gate.Failed ? "fail" : "pass", gate.Failed ? "FAIL" : "PASS", $"release gate: {gate.Regressions.Count} regressed, {gate.Improvements.Count} improved, McNemar p = {gate.McNemar.PValue:0.####}");
        }

        html.Append("</div>");
        if (report.Gate is { } g)
        {
            html.Append("<h2>Release gate</h2><p>").Append(E(g.Verdict)).Append("</p>");
        }

        html.Append("<h2>Pass rate by check and workflow</h2>");
        var rows = new List<(string, ConfidenceInterval, string)> { ("all cases", s.PassRate, Candidate) };
        if (report.BaselineSummary is { } bs)
        {
            rows.Add(("all cases (baseline)", bs.PassRate, Base));
        }

        rows.AddRange(s.ByCheck.Select(c => ($"{c.Name} ({c.Count}/{c.Total})", c.Rate, Candidate)));
        rows.AddRange(s.Workflows.Where(w => w.PassRate is not null).Select(w => ($"workflow {w.Workflow}", w.PassRate!.Value, Candidate)));
        html.Append(SvgIntervalChart.Render("pass rates with 95 % intervals", rows));
        html.Append("<h2>Task success rate per workflow (recorded rewards)</h2>");
        html.Append(SvgIntervalChart.Render("TSR with 95 % Wilson intervals", [.. s.Workflows.Select(w => ($"{w.Workflow} ({w.Successes}/{w.Labelled})", w.Tsr, Base))]));

        html.Append("<h2>Failed cases</h2><table><tr><th>case</th><th>workflow</th><th>reward</th><th>expected</th><th>Keel</th><th>score</th><th>why</th></tr>");
        foreach (var c in report.Cases.Where(c => !c.Passed))
        {
            var regressed = report.Gate?.Regressions.Contains(c.Id) == true;
            html.Append("<tr><td>").Append(E(c.Id)).Append(regressed ? " <b style=\"color:" + Bad + "\">regressed</b>" : string.Empty)
                .Append("</td><td>").Append(E(c.Workflow ?? string.Empty)).Append("</td><td>").Append(c.Reward?.ToString(CultureInfo.InvariantCulture) ?? "")
                .Append("</td><td>").Append(E(c.ExpectedOutcome)).Append("</td><td>").Append(E(c.Outcome)).Append("</td><td>")
                .Append(c.Score.ToString("0.00", CultureInfo.InvariantCulture)).Append("</td><td>").Append(E(c.FailureReason ?? string.Empty)).Append("</td></tr>");
        }

        html.Append("</table></body></html>");
        return html.ToString();
    }

    private static void Card(StringBuilder html, string? cls, string value, string label) =>
        html.Append("<div class=\"card").Append(cls is null ? string.Empty : " " + cls).Append("\"><b>").Append(E(value)).Append("</b><span>").Append(E(label)).Append("</span></div>");

    private static string Pct(ConfidenceInterval ci) => Pct(ci.Estimate);

    private static string Pct(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
