using Keel.Importers;
using Keel.Replay;

namespace Keel.Evals;

/// <summary>Reads recorded runs from run files (any format <see cref="RunImporters"/> knows) for evals and backtests.</summary>
public static class RecordedRunSet
{
    /// <summary>Reads every run of <paramref name="paths"/> in file and record order.</summary>
    /// <param name="paths">Run files or folders of them.</param>
    /// <param name="diagnostics">Collects skipped records with file, record index and JSON path.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The runs with the path each came from, as given.</returns>
    /// <exception cref="FileNotFoundException">A path does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is in no known format.</exception>
    public static Task<IReadOnlyList<RecordedRun>> ReadAsync(IEnumerable<string> paths, ImportDiagnostics diagnostics, CancellationToken cancellationToken = default) =>
        ReadAsync(paths, diagnostics, RunImporters.Default, cancellationToken);

    /// <summary>Reads every run of <paramref name="paths"/> in file and record order, with a composition's importers
    /// (<see cref="Composition.KeelComponents.Importers"/>).</summary>
    /// <param name="paths">Run files or folders of them.</param>
    /// <param name="diagnostics">Collects skipped records with file, record index and JSON path.</param>
    /// <param name="importers">The importers that recognise and read the files.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The runs with the path each came from, as given.</returns>
    /// <exception cref="FileNotFoundException">A path does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is in no known format.</exception>
    public static async Task<IReadOnlyList<RecordedRun>> ReadAsync(IEnumerable<string> paths, ImportDiagnostics diagnostics, RunImporters importers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(importers);
        var runs = new List<RecordedRun>();
        foreach (var path in paths)
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new FileNotFoundException($"no run file or folder at '{path}'", path);
            }

            await foreach (var run in importers.ReadAsync(path, diagnostics, cancellationToken).ConfigureAwait(false))
            {
                runs.Add(run);
            }
        }

        return runs;
    }
}
