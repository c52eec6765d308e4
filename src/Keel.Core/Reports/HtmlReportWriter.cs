using System.Globalization;
using System.Net;
using System.Text;

namespace Keel.Reports;

/// <summary>Writes <c>report.html</c>: one self-contained file (inline CSS and SVG charts, no scripts or external assets).</summary>
public static class HtmlReportWriter
{
    private const string Held = "#c2410c";
    private const string Ok = "#15803d";
    private const string Neutral = "#1d4ed8";

    /// <summary>Renders the report as HTML.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The HTML document.</returns>
    public static string Render(ReplayReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var m = report.Metrics;
        var html = new StringBuilder(64 * 1024);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Keel replay — ")
            .Append(E(report.Agent.Name)).Append("</title><style>")
            .Append("body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#111;padding:0 16px}")
            .Append("h1{font-size:22px}h2{font-size:17px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}")
            .Append(".cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #ddd;border-radius:8px;padding:10px 14px;min-width:150px}")
            .Append(".card b{display:block;font-size:22px}.card span{color:#555;font-size:12px}")
            .Append("table{border-collapse:collapse;width:100%;font-size:12.5px}td,th{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}")
            .Append("th{background:#f6f6f6}code{font-size:12px;word-break:break-all}.muted{color:#666}")
            .Append("</style></head><body>");
        html.Append("<h1>Keel replay — ").Append(E(report.Agent.Name)).Append(' ').Append(E(report.Agent.Version)).Append("</h1>");
        html.Append("<p class=\"muted\">Policy <b>").Append(E(report.Agent.PolicyId)).Append("</b> version ").Append(E(report.Agent.PolicyVersion))
            .Append(" (").Append(report.Agent.Rules).Append(" rules), model ").Append(E(report.Agent.Model)).Append(", generated ")
            .Append(report.GeneratedAt.ToString("u", CultureInfo.InvariantCulture)).Append(". Audit mode: every recorded tool call went through the same pipeline as live traffic; the recorded result stood in for the tool.</p>");

        html.Append("<div class=\"cards\">");
        Card(html, m.RunsReplayed.ToString(CultureInfo.InvariantCulture), $"runs replayed ({m.RunsSkipped} skipped)");
        Card(html, Pct(m.OutcomeAgreement), $"outcome agreement ({m.OutcomeLabelledRuns} labelled runs)");
        Card(html, Pct(m.UnsafeWritesHeldShare), $"unsafe writes held ({m.UnsafeWritesHeld} of {m.UnsafeWrites})");
        Card(html, Pct(m.ExpectedWritesHeldShare), $"expected writes held ({m.ExpectedWritesHeld} of {m.ExpectedWrites})");
        Card(html, m.ClaimResultMismatches.ToString(CultureInfo.InvariantCulture), "claim/result mismatches");
        Card(html, m.RunsPerSecond.ToString("0", CultureInfo.InvariantCulture), $"runs/s ({m.ElapsedMs:0} ms in all)");
        html.Append("</div>");

        html.Append("<h2>Decisions on ").Append(m.ToolCalls).Append(" tool calls</h2>");
        html.Append(SvgBarChart.Render("decisions by kind", [.. m.Decisions.Select(d => (d.Key, (double)d.Value, d.Value.ToString(CultureInfo.InvariantCulture), d.Key == "allow" ? Ok : Held))]));

        html.Append("<h2>Writes held, by domain</h2><p class=\"muted\">Orange: share of unsafe writes (successful writes not among the task's expected actions) Keel would have denied or held — higher is better. Green: share of expected writes held — lower is better.</p>");
        var domainBars = new List<(string, double, string, string)>();
        foreach (var domain in report.ByDomain)
        {
            domainBars.Add(($"{domain.Domain}: unsafe held", domain.Metrics.UnsafeWritesHeldShare ?? 0, $"{Pct(domain.Metrics.UnsafeWritesHeldShare)} ({domain.Metrics.UnsafeWritesHeld}/{domain.Metrics.UnsafeWrites})", Held));
            domainBars.Add(($"{domain.Domain}: expected held", domain.Metrics.ExpectedWritesHeldShare ?? 0, $"{Pct(domain.Metrics.ExpectedWritesHeldShare)} ({domain.Metrics.ExpectedWritesHeld}/{domain.Metrics.ExpectedWrites})", Ok));
        }

        html.Append(SvgBarChart.Render("writes held by domain", domainBars, 1));
        DomainTable(html, report);
        CallCheckHtml.Write(html, report);

        html.Append("<h2>Rules and checks that fired</h2>");
        html.Append(SvgBarChart.Render("rules fired", [.. report.Rules.Take(15).Select(r => (r.RuleId, (double)r.Fired, r.Fired.ToString(CultureInfo.InvariantCulture), Neutral))]));
        Table(html, ["rule", "stage", "fired", "decisions", "unsafe writes held", "expected writes held"],
            report.Rules.Select(r => new[] { r.RuleId, r.Stage, r.Fired.ToString(CultureInfo.InvariantCulture), string.Join(", ", r.Decisions.Select(d => $"{d.Key} {d.Value}")), r.UnsafeWritesHeld.ToString(CultureInfo.InvariantCulture), r.ExpectedWritesHeld.ToString(CultureInfo.InvariantCulture) }));

        CallTable(html, "Unsafe writes held", report.Examples.UnsafeWritesHeld);
        CallTable(html, "Unsafe writes allowed (no rule objected: mostly the agent misreading the customer)", report.Examples.UnsafeWritesAllowed);
        CallTable(html, "Expected writes held (false positives)", report.Examples.ExpectedWritesHeld);

        html.Append("<h2>Claim/result mismatches</h2>");
        Table(html, ["run", "finding", "events"], report.Examples.ClaimResultMismatches.Select(f => new[] { f.RunId, f.Message, string.Join(", ", f.EventSequences) }));
        html.Append("<h2>Tool errors by cause</h2>");
        Table(html, ["class", "cause", "count", "tools", "example"], report.ToolErrors.Select(e => new[] { e.Class, e.Cause, e.Count.ToString(CultureInfo.InvariantCulture), string.Join(", ", e.Tools), e.Example }));
        html.Append("<h2>Failures</h2>");
        Table(html, ["class", "disposition", "count"], report.Failures.Select(f => new[] { f.Class, f.Disposition, f.Count.ToString(CultureInfo.InvariantCulture) }));
        EscalationHtml.Write(html, report);
        html.Append("<h2>Handoff packets (first ").Append(report.Examples.Handoffs.Count).Append(")</h2>");
        Table(html, ["run", "priority", "team", "reason", "customer ask", "sentiment", "stakes", "tags", "evidence", "suggested next action"],
            report.Examples.Handoffs.Select(h => new[] { h.RunId, h.Priority, h.TargetTeam, h.Reason, h.CustomerAsk, h.SentimentTrend ?? "", h.Stakes ?? "", string.Join(", ", h.Tags ?? []), string.Join(", ", h.Evidence ?? []), h.SuggestedNextAction }));
        html.Append("<h2>Inputs</h2>");
        Table(html, ["file", "format", "runs", "skipped"], report.Inputs.Select(i => new[] { i.Path, i.Format, i.Runs.ToString(CultureInfo.InvariantCulture), i.Skipped.ToString(CultureInfo.InvariantCulture) }));
        if (report.Skipped.Count > 0)
        {
            html.Append("<h2>Skipped records</h2>");
            Table(html, ["file", "record", "JSON path", "problem"], report.Skipped.Select(s => new[] { s.File, s.RecordIndex.ToString(CultureInfo.InvariantCulture), s.JsonPath, s.Message }));
        }

        return html.Append("</body></html>").ToString();
    }

    private static void DomainTable(StringBuilder html, ReplayReport report) =>
        Table(html, ["domain", "runs", "outcome agreement", "successful writes", "unsafe writes", "unsafe held", "expected held", "claim mismatches", "handoffs"],
            report.ByDomain.Select(d => new[]
            {
                d.Domain, d.Metrics.RunsReplayed.ToString(CultureInfo.InvariantCulture), Pct(d.Metrics.OutcomeAgreement), d.Metrics.SuccessfulWrites.ToString(CultureInfo.InvariantCulture),
                d.Metrics.UnsafeWrites.ToString(CultureInfo.InvariantCulture), Pct(d.Metrics.UnsafeWritesHeldShare), Pct(d.Metrics.ExpectedWritesHeldShare),
                d.Metrics.ClaimResultMismatches.ToString(CultureInfo.InvariantCulture), d.Metrics.Handoffs.ToString(CultureInfo.InvariantCulture),
            }));

    private static void CallTable(StringBuilder html, string title, IReadOnlyList<CallExample> calls)
    {
        html.Append("<h2>").Append(E(title)).Append("</h2>");
        Table(html, ["run", "tool", "arguments", "decision", "rule", "reason"], calls.Select(c => new[] { c.RunId, c.Tool, c.Arguments, c.Decision, c.RuleId ?? string.Empty, c.Reason }));
    }

    internal static void Card(StringBuilder html, string value, string label) =>
        html.Append("<div class=\"card\"><b>").Append(E(value)).Append("</b><span>").Append(E(label)).Append("</span></div>");

    internal static void Table(StringBuilder html, string[] headers, IEnumerable<string[]> rows)
    {
        html.Append("<table><tr>");
        foreach (var header in headers)
        {
            html.Append("<th>").Append(E(header)).Append("</th>");
        }

        html.Append("</tr>");
        var any = false;
        foreach (var row in rows)
        {
            any = true;
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append("<td>").Append(cell.StartsWith('{') ? $"<code>{E(cell)}</code>" : E(cell)).Append("</td>");
            }

            html.Append("</tr>");
        }

        if (!any)
        {
            html.Append("<tr><td colspan=\"").Append(headers.Length).Append("\" class=\"muted\">none</td></tr>");
        }

        html.Append("</table>");
    }

    internal static string Pct(double? share) => share is { } s ? s.ToString("0.0%", CultureInfo.InvariantCulture) : "n/a";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
