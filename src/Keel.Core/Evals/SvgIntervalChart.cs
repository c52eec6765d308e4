using System.Globalization;
using System.Net;
using System.Text;
using Keel.Statistics;

namespace Keel.Evals;

/// <summary>Renders rates with their confidence intervals as inline SVG on a 0–100 % axis: a dot at the estimate and a whisker
/// from the lower to the upper bound (no script, so the HTML report stays one self-contained file).</summary>
internal static class SvgIntervalChart
{
    private const int Row = 26;
    private const int LabelWidth = 260;
    private const int PlotWidth = 420;

    /// <summary>Renders one row per interval.</summary>
    /// <param name="title">Accessible title.</param>
    /// <param name="rows">Label, interval (shares in [0, 1]) and colour (CSS).</param>
    /// <returns>The SVG element.</returns>
    public static string Render(string title, IReadOnlyList<(string Label, ConfidenceInterval Interval, string Color)> rows)
    {
        var height = (Math.Max(1, rows.Count) * Row) + 24;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg role=\"img\" aria-label=\"{WebUtility.HtmlEncode(title)}\" width=\"{LabelWidth + PlotWidth + 150}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        foreach (var tick in new[] { 0, 25, 50, 75, 100 })
        {
            var x = LabelWidth + (tick / 100.0 * PlotWidth);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.#}\" y1=\"0\" x2=\"{x:0.#}\" y2=\"{height - 18}\" stroke=\"#e5e5e5\"/><text x=\"{x:0.#}\" y=\"{height - 4}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#666\">{tick} %</text>");
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var (label, ci, color) = rows[i];
            var y = 13 + (i * Row);
            double X(double share) => LabelWidth + (Math.Clamp(share, 0, 1) * PlotWidth);
            var text = string.Create(CultureInfo.InvariantCulture, $"{ci.Estimate * 100:0.#} % [{ci.Lower * 100:0.#}, {ci.Upper * 100:0.#}]");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 8}\" y=\"{y + 4}\" text-anchor=\"end\" font-size=\"12\">{WebUtility.HtmlEncode(label)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(ci.Lower):0.#}\" y1=\"{y}\" x2=\"{X(ci.Upper):0.#}\" y2=\"{y}\" stroke=\"{color}\" stroke-width=\"3\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(ci.Estimate):0.#}\" cy=\"{y}\" r=\"5\" fill=\"{color}\"><title>{WebUtility.HtmlEncode(label)}: {text}</title></circle>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + PlotWidth + 8}\" y=\"{y + 4}\" font-size=\"12\">{text}</text>");
        }

        return svg.Append("</svg>").ToString();
    }
}
