using System.Text.Json;

namespace Keel.Evals;

/// <summary>Reads and writes eval suite files (JSON, snake_case; docs/evals.md).</summary>
public static class EvalSuiteFile
{
    /// <summary>Reads a suite.</summary>
    /// <param name="path">The suite file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The suite.</returns>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not valid JSON or misses a required field; the message names the file,
    /// line and JSON path.</exception>
    public static async Task<EvalSuite> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no eval suite at '{path}'", path);
        }

        await using var stream = File.OpenRead(path);
        EvalSuite? suite;
        try
        {
            suite = await JsonSerializer.DeserializeAsync(stream, EvalJsonContext.Default.EvalSuite, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}:{(ex.LineNumber ?? 0) + 1}: {ex.Path}: not a valid eval suite: {ex.Message.Split(" Path:")[0]}", ex);
        }

        if (suite is null)
        {
            throw new InvalidDataException($"{path}:1: $: not a valid eval suite: the file holds null.");
        }

        var duplicate = suite.Cases.GroupBy(c => c.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? suite : throw new InvalidDataException($"{path}: $.cases: the case id '{duplicate.Key}' appears {duplicate.Count()} times; each run is one case.");
    }

    /// <summary>Writes a suite, indented, ending with a newline.</summary>
    /// <param name="path">The file; its folder is created.</param>
    /// <param name="suite">The suite.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    public static async Task WriteAsync(string path, EvalSuite suite, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var json = JsonSerializer.Serialize(suite, EvalJson.Context.EvalSuite);
        await File.WriteAllTextAsync(path, json + "\n", cancellationToken).ConfigureAwait(false);
    }
}
