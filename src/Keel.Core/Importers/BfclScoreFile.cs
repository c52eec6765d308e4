using System.Text.Json;
using Keel.Replay;

namespace Keel.Importers;

/// <summary>
/// The BFCL checker's verdicts for one category and model (<c>BFCL_v4_&lt;category&gt;_score_failures.json</c>, JSON Lines):
/// one <c>{id, valid: false, error_type, error, ...}</c> line per wrong item; an item that is not listed was judged valid.
/// An upstream <c>_score.json</c> starts with a summary line (<c>accuracy</c>, <c>correct_count</c>, <c>total_count</c>, no
/// <c>id</c>), which is passed over. Loaded once per result file and read from one thread.
/// </summary>
internal sealed class BfclScoreFile
{
    private readonly Dictionary<string, string?> _failures = new(StringComparer.Ordinal);

    private BfclScoreFile(string path) => Path = path;

    /// <summary>The score file.</summary>
    public string Path { get; }

    /// <summary>Whether every line could be read. When a line is broken, which items it condemned is unknown, so no item of the
    /// category gets a label (rather than counting a wrong item as valid).</summary>
    public bool IsComplete { get; private set; } = true;

    /// <summary>Reads a score file; each broken line is reported as a skipped record of that file (0-based line, JSONPath).</summary>
    /// <param name="path">The score file.</param>
    /// <param name="resultFile">The result file it labels, named in the diagnostic.</param>
    /// <param name="diagnostics">Where broken lines are reported.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The verdicts.</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static async Task<BfclScoreFile> LoadAsync(string path, string resultFile, ImportDiagnostics diagnostics, CancellationToken cancellationToken)
    {
        var file = new BfclScoreFile(path);
        var line = -1;
        await foreach (var text in File.ReadLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                file.Read(document.RootElement);
            }
            catch (Exception ex) when (ex is JsonException or RecordFormatException)
            {
                file.IsComplete = false;
                var at = ex is RecordFormatException format ? format.JsonPath : "$";
                var problem = ex is JsonException ? $"not valid JSON ({ex.Message})" : ex.Message;
                diagnostics.Skip(new SkippedRecord(path, line, at, $"{problem}; the verdicts of this file are incomplete, so the runs of {resultFile} are imported without labels"));
            }
        }

        return file;
    }

    /// <summary>The label of an item: invalid with the checker's error type when listed, else valid; <see langword="null"/> when
    /// the file is incomplete.</summary>
    /// <param name="id">The item id.</param>
    /// <returns>The label.</returns>
    public CallLabel? LabelOf(string id) => !IsComplete ? null
        : _failures.TryGetValue(id, out var errorType) ? new CallLabel(false, errorType) : CallLabel.ValidCalls;

    private void Read(JsonElement line)
    {
        var at = new RecordPath("$", -1);
        JsonFields.RequireObject(line, at);
        if (!line.TryGetProperty("id", out _) && line.TryGetProperty("accuracy", out _))
        {
            return; // the summary line of an upstream _score.json
        }

        var id = JsonFields.RequireString(line, "id", at);
        var valid = JsonFields.OptionalBoolean(line, "valid", at)
            ?? throw new RecordFormatException(at.Format("valid"), "expected true or false (the checker's verdict), found nothing");
        if (!valid)
        {
            _failures[id] = JsonFields.OptionalString(line, "error_type", at);
        }
    }
}
