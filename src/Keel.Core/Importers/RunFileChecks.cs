using System.Globalization;
using System.Text.Json;

namespace Keel.Importers;

/// <summary>File-level checks and messages shared by the importers: head sniffing, unreadable JSON, trailing content. Thread-safe.</summary>
internal static class RunFileChecks
{
    /// <summary>Characters to ignore before the first JSON token: white space and a byte order mark.</summary>
    public const string LeadingNoise = "\uFEFF \t\r\n";

    /// <summary>Describes a token for an error message, e.g. "an object".</summary>
    /// <param name="token">The token type.</param>
    /// <returns>The description.</returns>
    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.None => "an empty file",
        _ => token.ToString(),
    };

    /// <summary>The message for JSON that cannot be read any further (truncated or malformed), with the reader's position.</summary>
    /// <param name="error">The reader's error; its message carries the 0-based line number and byte position in the line.</param>
    /// <param name="position">File byte offset where the value being read starts.</param>
    /// <returns>The message.</returns>
    public static string NotJson(JsonException error, long position) => string.Create(
        CultureInfo.InvariantCulture,
        $"the file is not valid JSON from here on (truncated or malformed); the value starting near file byte {position} cannot be read: {error.Message} Runs before this point were imported; the rest of the file is not read. Re-export or repair the file.");

    /// <summary>Checks that nothing but white space follows the root value, reporting anything else as a file-level skip.</summary>
    /// <param name="stream">The reader, positioned after the root value.</param>
    /// <param name="path">The file path.</param>
    /// <param name="diagnostics">Where to report.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A task that completes when the check is done.</returns>
    public static async ValueTask ExpectEndAsync(JsonRecordStream stream, string path, ImportDiagnostics diagnostics, CancellationToken cancellationToken)
    {
        try
        {
            var token = await stream.ReadTokenAsync(cancellationToken);
            if (token == JsonTokenType.None)
            {
                return;
            }

            diagnostics.Skip(new SkippedRecord(path, -1, "$", $"expected the end of the file after the root value, found {Describe(token)}; that content is ignored"));
        }
        catch (JsonException ex)
        {
            diagnostics.Skip(new SkippedRecord(path, -1, "$", NotJson(ex, stream.Position)));
        }
    }

    /// <summary>Reads the file's first token and checks it opens the expected container; on failure reports the whole
    /// file as skipped (record index -1) and returns <see langword="false"/>.</summary>
    /// <param name="stream">The opened file.</param>
    /// <param name="expected">The token the format starts with.</param>
    /// <param name="expectation">What the format is, e.g. "a JSON array of tau-bench runs".</param>
    /// <param name="path">The file, for the diagnostic.</param>
    /// <param name="diagnostics">Where a skipped file is reported.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Whether the file can be read on.</returns>
    public static async ValueTask<bool> CheckStartAsync(JsonRecordStream stream, JsonTokenType expected, string expectation, string path, ImportDiagnostics diagnostics, CancellationToken cancellationToken)
    {
        var (first, failure) = await TryReadAsync(stream.ReadTokenAsync(cancellationToken), stream);
        if (failure is null && first != expected)
        {
            failure = $"expected {expectation}, found {Describe(first)}; the file is not imported";
        }

        if (failure is not null)
        {
            diagnostics.Skip(new SkippedRecord(path, -1, "$", failure));
            return false;
        }

        return true;
    }

    /// <summary>Awaits a read and turns a <see cref="JsonException"/> into an error message, so iterators can report and stop.</summary>
    /// <typeparam name="T">The read's result.</typeparam>
    /// <param name="read">The read, already started.</param>
    /// <param name="stream">The reader, for the position in the message.</param>
    /// <returns>The result, or the message from <see cref="NotJson"/> when the JSON cannot be read.</returns>
    public static async ValueTask<(T? Value, string? Error)> TryReadAsync<T>(ValueTask<T> read, JsonRecordStream stream)
    {
        try
        {
            return (await read, null);
        }
        catch (JsonException ex)
        {
            return (default, NotJson(ex, stream.Position));
        }
    }
}
