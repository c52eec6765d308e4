using Keel.Replay;

namespace Keel.Importers;

/// <summary>Reads recorded runs of one format. Each format is an adapter in its own file.</summary>
public interface IRunImporter
{
    /// <summary>Short format name shown to users, e.g. <c>tau-bench</c>.</summary>
    string Format { get; }

    /// <summary>Whether this importer recognises the file (by a cheap look at its start, not by parsing it all).</summary>
    /// <param name="path">The file path.</param>
    /// <param name="head">The first bytes of the file (up to 4 KiB) decoded as UTF-8.</param>
    /// <returns>Whether the file looks like this format.</returns>
    bool CanRead(string path, string head);

    /// <summary>Whether the file is a companion of this format's run files: read together with a run file (a BFCL score file
    /// next to its <c>_result.json</c>), never imported on its own. In a folder, companions are neither imported nor reported as
    /// unknown; given directly, they are an error that names the run file to pass instead. The default is <see langword="false"/>.</summary>
    /// <param name="path">The file path (only its name is looked at).</param>
    /// <returns>Whether the file is a companion.</returns>
    bool IsCompanionFile(string path) => false;

    /// <summary>Reads every run of the file. A broken run is reported in <paramref name="diagnostics"/> (file, record index, JSON path) and skipped; the others are returned.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="diagnostics">Collects skipped records.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The runs that could be read, in file order.</returns>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    IAsyncEnumerable<RecordedRun> ReadAsync(string path, ImportDiagnostics diagnostics, CancellationToken cancellationToken = default);
}
