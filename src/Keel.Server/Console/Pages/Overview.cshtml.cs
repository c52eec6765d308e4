using System.Globalization;
using System.Net;
using System.Text;
using Keel.Server.Access;
using Keel.Server.Console.Overview;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Console.Pages;

/// <summary>The overview (<c>/overview</c>): per agent and version, runs, task success rate where known, p95 tool-call latency,
/// handoff rate, approvals and top tags, with server-rendered SVG bar charts (no chart script).</summary>
internal sealed class OverviewModel(AgentOverview overview) : PageModel
{
    /// <summary>One row per agent version.</summary>
    public IReadOnlyList<AgentFigures> Figures { get; private set; } = [];

    public async Task OnGetAsync() =>
        Figures = await overview.LoadAsync(Caller.Of(HttpContext).WorkspaceId, HttpContext.RequestAborted);

    /// <summary>A horizontal bar chart as SVG markup: one bar per agent version, its label and value; a missing value is
    /// labelled "unknown". Every text is HTML-encoded.</summary>
    /// <param name="figures">The rows.</param>
    /// <param name="value">The value of a row.</param>
    /// <param name="max">The scale's end, or <see langword="null"/> for the largest value.</param>
    /// <param name="format">Formats a value.</param>
    /// <param name="color">The bars' colour (CSS).</param>
    public static string Bars(IReadOnlyList<AgentFigures> figures, Func<AgentFigures, double?> value, double? max, Func<double, string> format, string color)
    {
        const int barHeight = 22, labelWidth = 150, width = 420;
        var top = max ?? Math.Max(figures.Max(f => value(f) ?? 0), 1e-9);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg role=\"img\" width=\"100%\" viewBox=\"0 0 {width} {(figures.Count * (barHeight + 6)) + 4}\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">");
        for (var i = 0; i < figures.Count; i++)
        {
            var f = figures[i];
            var y = 2 + (i * (barHeight + 6));
            var v = value(f);
            var length = v is { } x ? Math.Max(1, (width - labelWidth - 70) * Math.Min(x / top, 1)) : 0;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 15}\">{WebUtility.HtmlEncode(f.Agent)} {WebUtility.HtmlEncode(f.Version)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y}\" width=\"{length:0.#}\" height=\"{barHeight}\" fill=\"{color}\" rx=\"2\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + length + 6:0.#}\" y=\"{y + 15}\">{(v is { } w ? WebUtility.HtmlEncode(format(w)) : "unknown")}</text>");
        }

        return svg.Append("</svg>").ToString();
    }
}
