using System.Globalization;

namespace Keel.Sentiment;

/// <summary>Reads a ground-truth file in the format of VADER's validation sets (<c>tweets_GroundTruth.txt</c>,
/// <c>movieReviewSnippets_GroundTruth.txt</c>, <c>amazonReviewSnippets_GroundTruth.txt</c>, <c>nytEditorialSnippets_GroundTruth.txt</c>):
/// one text per line, <c>id&lt;TAB&gt;mean&lt;TAB&gt;text</c>, the mean a human rating on −4 … +4.</summary>
/// <remarks>A broken line is skipped and counted with its line number and the reason, never fatal: a blank line, fewer than three
/// fields, an empty id or text, a mean that is not a number (invariant culture) or lies outside −4 … +4. A tab inside the text is
/// kept as part of the text. Line endings may be LF or CRLF; the file is read as UTF-8.</remarks>
public static class GroundTruthReader
{
    /// <summary>The lowest and highest mean rating of the format: ±4.</summary>
    public const double RatingBound = 4.0;

    /// <summary>Reads a ground-truth file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The items and the skipped lines; <see cref="GroundTruthSkip.Source"/> is <paramref name="path"/>.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static GroundTruthSet Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8);
        return Read(reader, path);
    }

    /// <summary>Reads ground-truth lines from a reader.</summary>
    /// <param name="reader">The lines.</param>
    /// <param name="source">The name used in skip messages, usually the file's path.</param>
    /// <returns>The items and the skipped lines.</returns>
    public static GroundTruthSet Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        var items = new List<GroundTruthItem>();
        var skipped = new List<GroundTruthSkip>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (Parse(line, number) is { } item)
            {
                items.Add(item);
            }
            else
            {
                skipped.Add(new GroundTruthSkip(source, number, Problem(line)));
            }
        }

        return new GroundTruthSet(source, items, skipped);
    }

    private static GroundTruthItem? Parse(string line, int number)
    {
        var fields = line.Split('\t', 3);
        if (fields.Length < 3 || fields[0].Trim().Length == 0 || fields[2].Trim().Length == 0)
        {
            return null;
        }

        return TryParseMean(fields[1], out var mean) ? new GroundTruthItem(fields[0].Trim(), mean, fields[2], number) : null;
    }

    private static string Problem(string line)
    {
        if (line.Trim().Length == 0)
        {
            return "blank line";
        }

        var fields = line.Split('\t', 3);
        if (fields.Length < 3)
        {
            return $"expected id<TAB>mean<TAB>text, found {fields.Length} tab-separated field{(fields.Length == 1 ? "" : "s")}";
        }

        if (fields[0].Trim().Length == 0)
        {
            return "empty id";
        }

        if (!double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var mean) || !double.IsFinite(mean))
        {
            return $"mean '{Shorten(fields[1])}' is not a number";
        }

        return Math.Abs(mean) > RatingBound
            ? $"mean {mean.ToString(CultureInfo.InvariantCulture)} is outside the rating scale -4 … +4"
            : "empty text";
    }

    private static bool TryParseMean(string text, out double mean) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out mean) && double.IsFinite(mean) && Math.Abs(mean) <= RatingBound;

    private static string Shorten(string text) => text.Length <= 20 ? text : text[..20] + "…";
}
