using Keel.Evals;
using Keel.Importers;
using Keel.Replay;
using Spectre.Console;

namespace Keel.Cli.Output;

/// <summary>Reads the recorded-run files a command is given, turning a missing path, an unknown format or an unreadable file into one
/// error line instead of an exception.</summary>
internal static class RunFiles
{
    /// <summary>Reads every run of <paramref name="paths"/> in file and record order (<see cref="RecordedRunSet.ReadAsync(IEnumerable{string}, ImportDiagnostics, CancellationToken)"/>).</summary>
    /// <param name="paths">Run files or folders of them.</param>
    /// <param name="diagnostics">Collects skipped records with file, record index and JSON path.</param>
    /// <param name="console">Where the error line goes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The runs, or <see langword="null"/> after printing <c>error: …</c> when a path is missing, a file is in no known format
    /// or cannot be read (the command then exits with <see cref="Commands.ExitCodes.BadInput"/>).</returns>
    public static Task<IReadOnlyList<RecordedRun>?> ReadAsync(IEnumerable<string> paths, ImportDiagnostics diagnostics, IAnsiConsole console,
        CancellationToken cancellationToken) =>
        ReadAsync(paths, diagnostics, RunImporters.Default, console, cancellationToken);

    /// <summary>Reads every run of <paramref name="paths"/> with a composition's importers (a plugin's formats among them).</summary>
    /// <param name="paths">Run files or folders of them.</param>
    /// <param name="diagnostics">Collects skipped records with file, record index and JSON path.</param>
    /// <param name="importers">The importers.</param>
    /// <param name="console">Where the error line goes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The runs, or <see langword="null"/> after printing the error line.</returns>
    public static async Task<IReadOnlyList<RecordedRun>?> ReadAsync(IEnumerable<string> paths, ImportDiagnostics diagnostics, RunImporters importers, IAnsiConsole console,
        CancellationToken cancellationToken)
    {
        try
        {
            return await RecordedRunSet.ReadAsync(paths, diagnostics, importers, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or IOException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return null;
        }
    }
}
