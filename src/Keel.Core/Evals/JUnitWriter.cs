using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Keel.Evals;

/// <summary>Writes an eval as JUnit XML for CI systems: one <c>testsuite</c> (the suite), one <c>testcase</c> per case
/// (<c>classname</c> = suite.workflow, <c>name</c> = the run id, <c>time</c> in seconds), a failed case with a <c>failure</c>
/// element whose <c>message</c> is the failed checks' reasons; the gate, when compared, as one more <c>testcase</c> named
/// <c>release-gate</c>. The shape is the one Jenkins, GitLab and GitHub test reporters read (the de-facto schema of Ant's
/// JUnit report task).</summary>
public static class JUnitWriter
{
    /// <summary>Renders the report.</summary>
    /// <param name="report">The eval report.</param>
    /// <returns>The XML document.</returns>
    public static XDocument Render(EvalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var cases = report.Cases.Select(c =>
        {
            var element = new XElement("testcase",
                new XAttribute("classname", $"{report.Suite}.{c.Workflow ?? "unknown"}"),
                new XAttribute("name", c.Id),
                new XAttribute("time", Seconds(c.ElapsedMs)));
            if (!c.Passed)
            {
                element.Add(new XElement("failure", new XAttribute("message", c.FailureReason ?? "failed"), new XAttribute("type", "check"),
                    string.Join("\n", c.Checks.Where(x => !x.Passed).Select(x => $"{x.Check}: {x.Reason}"))));
            }

            return element;
        }).ToList();
        if (report.Gate is { } gate)
        {
            var element = new XElement("testcase", new XAttribute("classname", report.Suite), new XAttribute("name", "release-gate"), new XAttribute("time", "0"));
            if (gate.Failed)
            {
                element.Add(new XElement("failure", new XAttribute("message", gate.Verdict), new XAttribute("type", "regression"),
                    $"regressed cases: {string.Join(", ", gate.Regressions)}"));
            }

            cases.Add(element);
        }

        var failures = cases.Count(c => c.Element("failure") is not null);
        var suite = new XElement("testsuite",
            new XAttribute("name", report.Suite),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", 0),
            new XAttribute("skipped", 0),
            new XAttribute("timestamp", report.GeneratedAt.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
            new XAttribute("time", Seconds(report.Cases.Sum(c => c.ElapsedMs))),
            new XElement("properties",
                new XElement("property", new XAttribute("name", "agent"), new XAttribute("value", report.Agent)),
                new XElement("property", new XAttribute("name", "pass_rate"), new XAttribute("value", report.Summary.PassRate.ToString()))),
            cases);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites",
            new XAttribute("name", "keel eval"), new XAttribute("tests", cases.Count), new XAttribute("failures", failures), suite));
    }

    /// <summary>Writes the report as UTF-8 without a byte order mark, indented, with the XML declaration (a BOM before
    /// <c>&lt;?xml</c> trips some CI report parsers, and the declaration already names the encoding).</summary>
    /// <param name="report">The eval report.</param>
    /// <param name="stream">The stream written to; left open.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the document is flushed to <paramref name="stream"/>.</returns>
    public static async Task WriteAsync(EvalReport report, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), Indent = true, Async = true, CloseOutput = false };
        await using var writer = XmlWriter.Create(stream, settings);
        await Render(report).SaveAsync(writer, cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync().ConfigureAwait(false);
    }

    private static string Seconds(double ms) => (ms / 1000).ToString("0.###", CultureInfo.InvariantCulture);
}
