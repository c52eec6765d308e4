using System.Text.Json;
using Keel.Reports;

namespace Keel.Cli.Output;

/// <summary>Writes report.html and report.json atomically (to a temporary file, then renamed), so a failed write never leaves half a report.</summary>
internal static class ReportFiles
{
    public static async Task<(string Html, string Json)> WriteAsync(string folder, ReplayReport report, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var html = Path.GetFullPath(Path.Combine(folder, "report.html"));
        var json = Path.GetFullPath(Path.Combine(folder, "report.json"));
        await WriteAtomicAsync(json, JsonSerializer.Serialize(report, ReportJsonContext.Default.ReplayReport), cancellationToken).ConfigureAwait(false);
        await WriteAtomicAsync(html, HtmlReportWriter.Render(report), cancellationToken).ConfigureAwait(false);
        return (html, json);
    }

    private static async Task WriteAtomicAsync(string path, string content, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, content, cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }
}
