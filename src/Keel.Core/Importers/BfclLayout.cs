using System.Text.RegularExpressions;

namespace Keel.Importers;

/// <summary>
/// Where the files of one BFCL category live, found from a model's result file by the Berkeley Function-Calling
/// Leaderboard's layout (ShishirPatil/gorilla, <c>berkeley-function-call-leaderboard/</c>) or the curated copy of it.
/// </summary>
/// <remarks>
/// <para>Result file: <c>BFCL_v&lt;n&gt;_&lt;category&gt;_result.json</c>, in a folder named after the model.</para>
/// <para>Question file <c>BFCL_v&lt;n&gt;_&lt;category&gt;.json</c>: the first that exists of <c>&lt;a&gt;/data/</c> and
/// <c>&lt;a&gt;/bfcl_eval/data/</c> for the result's folder and its ancestors up to <see cref="MaxLevelsUp"/> levels up
/// (curated copy: <c>data/</c> next to <c>model_results/&lt;model&gt;/</c>; upstream: <c>bfcl_eval/data/</c> next to
/// <c>result/&lt;model&gt;/</c>).</para>
/// <para>Score file: <c>BFCL_v&lt;n&gt;_&lt;category&gt;_score_failures.json</c> (the checker's failures without its summary line)
/// or <c>_score.json</c> (upstream, with the summary line) next to the result, or <c>_score.json</c> in the folder that
/// mirrors the result's under <c>score/</c> instead of <c>result/</c> (upstream <c>score/&lt;model&gt;/</c>).</para>
/// </remarks>
/// <param name="ResultFile">The result file as given.</param>
/// <param name="Prefix">The version prefix, e.g. <c>BFCL_v4</c>.</param>
/// <param name="Category">The test category, e.g. <c>simple_python</c>, <c>live_parallel_multiple</c>, <c>irrelevance</c>.</param>
/// <param name="Model">The model: the name of the result file's folder, e.g. <c>glyphh-ada-1.1</c>.</param>
/// <param name="QuestionFile">The question file (questions and function schemas).</param>
/// <param name="ScoreFile">The checker's verdicts on the wrong items.</param>
internal sealed partial record BfclLayout(string ResultFile, string Prefix, string Category, string? Model, string QuestionFile, string ScoreFile)
{
    /// <summary>How many folders above the result's folder are searched for the question file: 4.</summary>
    public const int MaxLevelsUp = 4;

    /// <summary>Whether a file name is a BFCL result file.</summary>
    /// <param name="path">The path; only its file name is looked at.</param>
    /// <returns>Whether it is named <c>BFCL_v&lt;n&gt;_&lt;category&gt;_result.json</c>.</returns>
    public static bool IsResultFile(string path) => ResultName().IsMatch(Path.GetFileName(path));

    /// <summary>Whether a file name is one of the files BFCL keeps beside its results: a question, score or possible-answer file
    /// (<c>BFCL_v&lt;n&gt;_*.json</c> not ending in <c>_result.json</c>).</summary>
    /// <param name="path">The path; only its file name is looked at.</param>
    /// <returns>Whether it is a BFCL companion file.</returns>
    public static bool IsCompanionFile(string path)
    {
        var name = Path.GetFileName(path);
        return AnyBfclFile().IsMatch(name) && !ResultName().IsMatch(name);
    }

    /// <summary>Finds the question and score files of a result file.</summary>
    /// <param name="resultFile">The result file.</param>
    /// <returns>The layout.</returns>
    /// <exception cref="InvalidDataException">The name is not a BFCL result file name, or the question or score file is missing;
    /// the message names the missing file and every place searched.</exception>
    public static BfclLayout Locate(string resultFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(resultFile);
        var match = ResultName().Match(Path.GetFileName(resultFile));
        if (!match.Success)
        {
            throw new InvalidDataException($"'{resultFile}' is not named like a BFCL result file (BFCL_v<n>_<category>_result.json); the file name gives the category whose question and score files are read with it.");
        }

        var prefix = match.Groups["prefix"].Value;
        var category = match.Groups["category"].Value;
        var folder = Path.GetDirectoryName(Path.GetFullPath(resultFile))!;
        var model = Path.GetFileName(folder);
        var questionName = $"{prefix}_{category}.json";
        var questionCandidates = new List<string>();
        var dir = new DirectoryInfo(folder);
        for (var level = 0; level <= MaxLevelsUp && dir is not null; level++, dir = dir.Parent)
        {
            questionCandidates.Add(Path.Combine(dir.FullName, "data", questionName));
            questionCandidates.Add(Path.Combine(dir.FullName, "bfcl_eval", "data", questionName));
        }

        var scoreCandidates = new List<string>
        {
            Path.Combine(folder, $"{prefix}_{category}_score_failures.json"),
            Path.Combine(folder, $"{prefix}_{category}_score.json"),
        };
        if (ScoreFolder(folder) is { } scoreFolder)
        {
            scoreCandidates.Add(Path.Combine(scoreFolder, $"{prefix}_{category}_score.json"));
        }

        var questionFile = questionCandidates.FirstOrDefault(File.Exists)
            ?? throw Missing(resultFile, $"question file {questionName} (questions and function schemas)", questionCandidates);
        var scoreFile = scoreCandidates.FirstOrDefault(File.Exists)
            ?? throw Missing(resultFile, $"score file {prefix}_{category}_score_failures.json or _score.json (the checker's verdicts)", scoreCandidates);
        return new BfclLayout(resultFile, prefix, category, model, questionFile, scoreFile);
    }

    private static InvalidDataException Missing(string resultFile, string what, List<string> searched) => new(
        $"BFCL result file '{resultFile}' needs its {what}, which was not found. Looked for: {string.Join(", ", searched)}. Keep BFCL's layout (data/ beside model_results/<model>/, or bfcl_eval/data/ and score/<model>/ beside result/<model>/) or copy the file to one of these places.");

    // result/<model>[/<sub>] → score/<model>[/<sub>]: the last "result" segment of the path becomes "score".
    private static string? ScoreFolder(string folder)
    {
        var parts = folder.Split(Path.DirectorySeparatorChar);
        var index = Array.LastIndexOf(parts, "result");
        if (index < 0)
        {
            return null;
        }

        parts[index] = "score";
        return string.Join(Path.DirectorySeparatorChar, parts);
    }

    [GeneratedRegex(@"^(?<prefix>BFCL_v\d+)_(?<category>[A-Za-z0-9_]+)_result\.json$", RegexOptions.CultureInvariant)]
    private static partial Regex ResultName();

    [GeneratedRegex(@"^BFCL_v\d+_[A-Za-z0-9_]+\.json$", RegexOptions.CultureInvariant)]
    private static partial Regex AnyBfclFile();
}
