using System.Text.Json;
using Keel.Reports;

namespace Keel.Cli.Output;

/// <summary>Writes reports atomically (to a temporary file, then renamed), so a failed write never leaves half a report: report.html
/// and report.json of a replay, and any single report file of the other commands.</summary>
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

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically: its folder is created, the text goes to
    /// <c>{path}.tmp</c>, which then replaces the file, so a failed write (disk full, cancelled) never leaves half a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="content">The whole text.</param>
    /// <param name="cancellationToken">Cancels the write; the earlier file, if any, is left as it was.</param>
    /// <exception cref="IOException">The file or its folder cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its folder may not be written.</exception>
    public static Task WriteAtomicAsync(string path, string content, CancellationToken cancellationToken) =>
        WriteAtomicAsync(path, async (stream, ct) =>
        {
            await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            await writer.WriteAsync(content.AsMemory(), ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Writes what <paramref name="write"/> puts in a stream to <paramref name="path"/> atomically, as
    /// <see cref="WriteAtomicAsync(string, string, CancellationToken)"/> does.</summary>
    /// <param name="path">The file.</param>
    /// <param name="write">Writes the whole content to the stream it is given.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="IOException">The file or its folder cannot be written.</exception>
    public static async Task WriteAtomicAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        try
        {
            await using (var stream = File.Create(temp))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
