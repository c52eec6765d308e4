using System.Runtime.CompilerServices;
using System.Text.Json;
using Keel.Replay;

namespace Keel.Importers;

/// <summary>
/// Imports a model's results on the Berkeley Function-Calling Leaderboard (BFCL; ShishirPatil/gorilla,
/// <c>berkeley-function-call-leaderboard</c>; Yan et al., 2024): one <c>BFCL_v&lt;n&gt;_&lt;category&gt;_result.json</c> file
/// (JSON Lines) read together with the category's question file and the checker's score file, found by BFCL's layout
/// (<see cref="BfclLayout"/>).
/// </summary>
/// <remarks>
/// <para>One run per result line: id <c>bfcl-&lt;item id&gt;</c> (results of two models for the same category get the same ids;
/// import one model at a time), domain = the category, agent model = the result's folder name, the user request as
/// messages, the model's calls with no result (details: <see cref="BfclResultConverter"/>), the item's functions as the
/// run's own tool catalog (<see cref="RecordedRun.Tools"/>, converted by <see cref="BfclSchemaConverter"/>), and the label
/// <see cref="RunLabels.Calls"/>: invalid with the checker's <c>error_type</c> for items in the score file, valid otherwise.</para>
/// <para>Record index: the 0-based line of the result file; JSONPaths are relative to that line (<c>$.result[0]</c>). Bad input:
/// a line that is not JSON or is malformed is skipped with its path and the other lines are read; a result whose question is
/// broken is skipped with the question file's record and path in the message; a broken line of the score file is reported as
/// a skipped record of that file and the runs are imported without labels. Missing question or score files are an error
/// (<see cref="InvalidDataException"/>) naming the file and the places searched. Score, question and answer files
/// (<c>BFCL_v&lt;n&gt;_*.json</c> other than results) are companion files (<see cref="IsCompanionFile"/>). Stateless and
/// thread-safe.</para>
/// </remarks>
public sealed class BfclImporter : IRunImporter
{
    /// <summary>The format name, <c>bfcl</c>.</summary>
    public const string FormatName = "bfcl";

    /// <inheritdoc />
    public string Format => FormatName;

    /// <summary>Recognises a file named <c>BFCL_v&lt;n&gt;_&lt;category&gt;_result.json</c> whose first line is an object with <c>id</c> and <c>result</c>.</summary>
    /// <param name="path">The file path (its name must match).</param>
    /// <param name="head">The first bytes of the file decoded as UTF-8.</param>
    /// <returns>Whether the file looks like a BFCL result file.</returns>
    public bool CanRead(string path, string head)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(head);
        var text = head.AsSpan().TrimStart(RunFileChecks.LeadingNoise);
        return BfclLayout.IsResultFile(path) && !text.IsEmpty && text[0] == '{'
            && text.Contains("\"id\"", StringComparison.Ordinal) && text.Contains("\"result\"", StringComparison.Ordinal);
    }

    /// <summary>Whether the file is a BFCL question, score or possible-answer file (<c>BFCL_v&lt;n&gt;_*.json</c> not ending in <c>_result.json</c>).</summary>
    /// <param name="path">The file path.</param>
    /// <returns>Whether it is read only as a companion of a result file.</returns>
    public bool IsCompanionFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return BfclLayout.IsCompanionFile(path);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The file is not named like a BFCL result file, or its question or score file is missing.</exception>
    public async IAsyncEnumerable<RecordedRun> ReadAsync(
        string path,
        ImportDiagnostics diagnostics,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var layout = BfclLayout.Locate(path);
        var questions = await BfclQuestionFile.LoadAsync(layout.QuestionFile, cancellationToken).ConfigureAwait(false);
        var scores = await BfclScoreFile.LoadAsync(layout.ScoreFile, path, diagnostics, cancellationToken).ConfigureAwait(false);
        var converter = new BfclResultConverter(layout, questions, scores);
        await foreach (var run in JsonLinesReader.ReadAsync(path, converter.Convert, diagnostics, cancellationToken).ConfigureAwait(false))
        {
            yield return run;
        }
    }
}
