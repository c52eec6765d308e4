using System.Globalization;
using System.Text.Json;

namespace Keel.Importers;

/// <summary>
/// The questions of one BFCL category (<c>BFCL_v4_&lt;category&gt;.json</c>, JSON Lines): per item id, the user request
/// (<c>question</c>: a list of turns, each a list of <c>{role, content}</c> messages) and the functions offered
/// (<c>function</c>: a list of <c>{name, description, parameters}</c> in BFCL's schema dialect). Loaded once per result file
/// and read from one thread.
/// </summary>
internal sealed class BfclQuestionFile
{
    private readonly Dictionary<string, (int Line, JsonElement Record)> _byId = new(StringComparer.Ordinal);
    private readonly List<string> _unreadable = [];

    private BfclQuestionFile(string path) => Path = path;

    /// <summary>The question file.</summary>
    public string Path { get; }

    /// <summary>Reads every line of a question file. A line that is not JSON or has no string <c>id</c> is remembered, and named
    /// when a result asks for an id the file does not have.</summary>
    /// <param name="path">The question file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The questions by id (the first line wins when an id repeats).</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static async Task<BfclQuestionFile> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var file = new BfclQuestionFile(path);
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
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    file._byId.TryAdd(id.GetString()!, (line, root.Clone()));
                    continue;
                }

                file._unreadable.Add(string.Create(CultureInfo.InvariantCulture, $"record {line} at $.id: expected an object with a string id"));
            }
            catch (JsonException ex)
            {
                file._unreadable.Add(string.Create(CultureInfo.InvariantCulture, $"record {line}: not valid JSON ({ex.Message})"));
            }
        }

        return file;
    }

    /// <summary>Looks an item up.</summary>
    /// <param name="id">The item id, e.g. <c>simple_python_13</c>.</param>
    /// <param name="line">0-based line of the question in <see cref="Path"/>.</param>
    /// <param name="record">The question record.</param>
    /// <returns>Whether the file has the item.</returns>
    public bool TryGet(string id, out int line, out JsonElement record)
    {
        var found = _byId.TryGetValue(id, out var entry);
        (line, record) = entry;
        return found;
    }

    /// <summary>The message for an id the file does not have, naming its unreadable lines if any.</summary>
    /// <param name="id">The item id.</param>
    /// <returns>The message.</returns>
    public string Missing(string id) => _unreadable.Count == 0
        ? $"the question file {Path} has no item '{id}'; results and questions must come from the same BFCL version"
        : $"the question file {Path} has no readable item '{id}'; {_unreadable.Count} of its records cannot be read (first: {_unreadable[0]})";
}
