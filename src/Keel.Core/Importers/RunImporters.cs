using System.Runtime.CompilerServices;
using System.Text;
using Keel.Replay;

namespace Keel.Importers;

/// <summary>
/// The known run importers: picks the importer for a file by <see cref="IRunImporter.CanRead"/> on the file's first
/// 4 KiB and reads a file or every <c>*.json</c> file of a directory. Immutable and thread-safe.
/// </summary>
public sealed class RunImporters
{
    /// <summary>How many bytes of a file <see cref="IRunImporter.CanRead"/> sees: 4 KiB.</summary>
    public const int HeadSize = 4096;

    private readonly IRunImporter[] _importers;

    /// <summary>Creates a registry; importers are tried in the given order.</summary>
    /// <param name="importers">The importers; their <see cref="IRunImporter.Format"/> names must be distinct.</param>
    /// <exception cref="ArgumentException">Two importers have the same format name, or the list is empty.</exception>
    public RunImporters(IEnumerable<IRunImporter> importers)
    {
        ArgumentNullException.ThrowIfNull(importers);
        _importers = [.. importers];
        if (_importers.Length == 0)
        {
            throw new ArgumentException("At least one importer is needed.", nameof(importers));
        }

        var formats = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var importer in _importers)
        {
            if (!formats.Add(importer.Format))
            {
                throw new ArgumentException($"Two importers are named '{importer.Format}'; format names must be distinct.", nameof(importers));
            }
        }
    }

    /// <summary>The built-in importers: <c>tau-bench</c>, <c>tau2-bench</c>, <c>agentdojo</c> and <c>bfcl</c>.</summary>
    public static RunImporters Default { get; } = new RunImporters([new TauBenchImporter(), new Tau2BenchImporter(), new AgentDojoImporter(), new BfclImporter()]);

    /// <summary>The importers in the order they are tried.</summary>
    public IReadOnlyList<IRunImporter> Importers => _importers;

    /// <summary>The known format names, e.g. <c>["tau-bench", "tau2-bench"]</c>.</summary>
    public IReadOnlyList<string> Formats => Array.ConvertAll(_importers, importer => importer.Format);

    /// <summary>The importer with a format name (case-insensitive), for an explicit <c>--format</c>.</summary>
    /// <param name="format">The format name.</param>
    /// <returns>The importer.</returns>
    /// <exception cref="ArgumentException">No importer has that name; the message lists the known formats.</exception>
    public IRunImporter GetByFormat(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        foreach (var importer in _importers)
        {
            if (string.Equals(importer.Format, format, StringComparison.OrdinalIgnoreCase))
            {
                return importer;
            }
        }

        throw new ArgumentException($"Unknown run format '{format}'. Known formats: {string.Join(", ", Formats)}.", nameof(format));
    }

    /// <summary>The files a path stands for: the file itself, or a directory's <c>*.json</c> and <c>*.jsonl</c> files (top level only, in ordinal name order; <c>index.csv</c> and other files are ignored).</summary>
    /// <param name="path">A file or directory.</param>
    /// <returns>The file paths.</returns>
    /// <exception cref="FileNotFoundException">Neither a file nor a directory exists at <paramref name="path"/>.</exception>
    public static IReadOnlyList<string> ResolveFiles(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException($"No run file or directory at '{path}'.", path);
        }

        string[] files = [.. Directory.GetFiles(path, "*.json", SearchOption.TopDirectoryOnly), .. Directory.GetFiles(path, "*.jsonl", SearchOption.TopDirectoryOnly)];
        files = [.. files.Distinct(StringComparer.Ordinal)];
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>The run files a path stands for: the file itself, or a directory's <c>*.json</c> files (as <see cref="ResolveFiles"/>)
    /// without the companion files an importer reads together with its run files (<see cref="IRunImporter.IsCompanionFile"/>).</summary>
    /// <param name="path">A file or directory.</param>
    /// <returns>The file paths, in ordinal name order for a directory.</returns>
    /// <exception cref="FileNotFoundException">Neither a file nor a directory exists at <paramref name="path"/>.</exception>
    public IReadOnlyList<string> ResolveRunFiles(string path)
    {
        var files = ResolveFiles(path);
        return Directory.Exists(path) ? [.. files.Where(file => !IsCompanionFile(file))] : files;
    }

    /// <summary>Whether an importer reads this file only as a companion of its run files (e.g. BFCL's <c>_score_failures.json</c>).</summary>
    /// <param name="file">The file path.</param>
    /// <returns>Whether some importer claims the file as a companion.</returns>
    public bool IsCompanionFile(string file)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        return Array.Exists(_importers, importer => importer.IsCompanionFile(file));
    }

    /// <summary>The importer that recognises a file, or <see langword="null"/>.</summary>
    /// <param name="file">The file path.</param>
    /// <returns>The first importer whose <see cref="IRunImporter.CanRead"/> accepts the file's head.</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public IRunImporter? TryFind(string file)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        var head = ReadHead(file);
        foreach (var importer in _importers)
        {
            if (importer.CanRead(file, head))
            {
                return importer;
            }
        }

        return null;
    }

    /// <summary>The importer that recognises a file.</summary>
    /// <param name="file">The file path.</param>
    /// <returns>The importer.</returns>
    /// <exception cref="InvalidDataException">No importer recognises the file (the message lists the known formats), or the file is a companion file that is read with its run file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public IRunImporter Find(string file)
    {
        var companionOf = Array.Find(_importers, importer => importer.IsCompanionFile(file));
        if (companionOf is not null)
        {
            throw new InvalidDataException($"'{file}' is a companion file of the {companionOf.Format} format: it is read together with its run file, not on its own. Pass the run file (for BFCL, the matching _result.json) or the folder holding both.");
        }

        return TryFind(file) ?? throw new InvalidDataException(UnknownFormat(file));
    }

    /// <summary>
    /// Reads every run of a file, or of every <c>*.json</c> run file of a directory, in file order. A file given directly that
    /// no importer recognises is an error; in a directory, such a file is reported as a <see cref="SkippedRecord"/>
    /// (record index -1) and the other files are read. Companion files (<see cref="IsCompanionFile"/>) are not read on their own.
    /// </summary>
    /// <param name="path">A file or directory.</param>
    /// <param name="diagnostics">Collects skipped records and files.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The runs.</returns>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException"><paramref name="path"/> is a file that no importer recognises or a companion file,
    /// or a run file's companion files are missing (BFCL: the question or score file).</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public async IAsyncEnumerable<RecordedRun> ReadAsync(
        string path,
        ImportDiagnostics diagnostics,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var isDirectory = Directory.Exists(path);
        foreach (var file in ResolveRunFiles(path))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var importer = isDirectory ? TryFind(file) : Find(file);
            if (importer is null)
            {
                diagnostics.Skip(new SkippedRecord(file, -1, "$", UnknownFormat(file)));
                continue;
            }

            await foreach (var run in importer.ReadAsync(file, diagnostics, cancellationToken))
            {
                yield return run;
            }
        }
    }

    private string UnknownFormat(string file) =>
        $"'{file}' is not in a known run format; no importer recognises its first {HeadSize} bytes. Known formats: {string.Join(", ", Formats)}.";

    private static string ReadHead(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        Span<byte> buffer = stackalloc byte[HeadSize];
        var total = 0;
        while (total < buffer.Length)
        {
            var read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return Encoding.UTF8.GetString(buffer[..total]);
    }
}
