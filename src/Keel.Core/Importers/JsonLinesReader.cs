using System.Runtime.CompilerServices;
using System.Text.Json;
using Keel.Replay;

namespace Keel.Importers;

/// <summary>Reads a JSON Lines run file (one run object per line), shared by the importers of such formats (AgentDojo, BFCL).
/// Blank lines are ignored; a line that is not valid JSON, or whose record the converter rejects, is skipped with its 0-based line
/// index as record index and the JSONPath relative to the line, and the next lines are read.</summary>
internal static class JsonLinesReader
{
    /// <summary>Reads every run of the file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="convert">Converts one line's root element (with its 0-based line index) into a run; throws <see cref="RecordFormatException"/> for a broken record.</param>
    /// <param name="diagnostics">Collects skipped lines.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The runs, in file order.</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static async IAsyncEnumerable<RecordedRun> ReadAsync(
        string path,
        Func<JsonElement, int, RecordedRun> convert,
        ImportDiagnostics diagnostics,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var line = -1;
        await foreach (var text in File.ReadLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            RecordedRun? run = null;
            try
            {
                using var document = JsonDocument.Parse(text);
                run = convert(document.RootElement, line);
            }
            catch (JsonException ex)
            {
                diagnostics.Skip(new SkippedRecord(path, line, "$", $"line {line + 1} is not valid JSON ({ex.Message}); the run is skipped and the next lines are read"));
            }
            catch (RecordFormatException ex)
            {
                diagnostics.Skip(new SkippedRecord(path, line, ex.JsonPath, $"line {line + 1}: {ex.Message}; the run is skipped"));
            }

            if (run is not null)
            {
                yield return run;
            }
        }
    }
}
