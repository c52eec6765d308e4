using System.Globalization;
using System.Net;
using System.Text;

namespace Keel.Reports;

/// <summary>Renders a horizontal bar chart as inline SVG (no script, so the report stays one self-contained file).</summary>
internal static class SvgBarChart
{
    private const int BarHeight = 22;
    private const int LabelWidth = 260;
    private const int PlotWidth = 420;

    /// <summary>Renders bars; each bar may have a colour of its own.</summary>
    /// <param name="title">Accessible title.</param>
    /// <param name="bars">Label, value, display text, colour (CSS).</param>
    /// <param name="max">Scale maximum; <see langword="null"/> for the largest value.</param>
    public static string Render(string title, IReadOnlyList<(string Label, double Value, string Text, string Color)> bars, double? max = null)
    {
        var top = max ?? (bars.Count == 0 ? 1 : Math.Max(1e-9, bars.Max(b => b.Value)));
        var height = Math.Max(1, bars.Count) * (BarHeight + 6) + 8;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg role=\"img\" aria-label=\"{WebUtility.HtmlEncode(title)}\" width=\"{LabelWidth + PlotWidth + 90}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value, text, color) = bars[i];
            var y = 4 + (i * (BarHeight + 6));
            var width = Math.Max(value > 0 ? 2 : 0, value / top * PlotWidth);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 8}\" y=\"{y + 15}\" text-anchor=\"end\" font-size=\"12\">{WebUtility.HtmlEncode(Shorten(label))}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y}\" width=\"{width:0.#}\" height=\"{BarHeight}\" rx=\"3\" fill=\"{color}\"><title>{WebUtility.HtmlEncode(label)}: {WebUtility.HtmlEncode(text)}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + width + 6:0.#}\" y=\"{y + 15}\" font-size=\"12\">{WebUtility.HtmlEncode(text)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Shorten(string label) => label.Length > 40 ? label[..39] + "…" : label;
}
