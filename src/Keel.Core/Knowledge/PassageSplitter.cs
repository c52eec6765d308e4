using System.Text;

namespace Keel.Knowledge;

/// <summary>Splits a Markdown or plain-text document into passages: a new passage at every heading (ATX, <c>#</c> … <c>######</c>,
/// outside fenced code), paragraphs (blank-line separated) of one section joined while they fit in the maximum length, and a
/// paragraph longer than the maximum cut at sentence ends, else at spaces.</summary>
/// <remarks>Each passage starts with its heading path (<c>Airline Agent Policy &gt; Book flight</c>) on its own line, so a passage
/// carries the context a reader would see. Pure code; thread-safe.</remarks>
public static class PassageSplitter
{
    /// <summary>Splits a document.</summary>
    /// <param name="text">The document, without front matter.</param>
    /// <param name="maxChars">The longest passage in characters (see <see cref="RetrievalOptions.MaxPassageChars"/>).</param>
    /// <returns>The passages' texts in document order; empty for a blank document.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxChars"/> is below 50.</exception>
    public static IReadOnlyList<string> Split(string text, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 50);
        var passages = new List<string>();
        var headings = new List<(int Level, string Text)>();
        var paragraphs = new List<string>();
        var paragraph = new StringBuilder();
        string? fence = null;
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            var trimmed = line.TrimStart();
            if (fence is null && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
            {
                fence = trimmed[..3];
            }
            else if (fence is not null && trimmed.StartsWith(fence, StringComparison.Ordinal))
            {
                fence = null;
                paragraph.Append(line).Append('\n');
                continue;
            }

            if (fence is null && HeadingLevel(trimmed) is int level and > 0)
            {
                EndParagraph(paragraph, paragraphs);
                Flush(headings, paragraphs, maxChars, passages);
                headings.RemoveAll(h => h.Level >= level);
                headings.Add((level, trimmed[level..].Trim().TrimEnd('#').Trim()));
            }
            else if (fence is null && trimmed.Length == 0)
            {
                EndParagraph(paragraph, paragraphs);
            }
            else
            {
                paragraph.Append(line).Append('\n');
            }
        }

        EndParagraph(paragraph, paragraphs);
        Flush(headings, paragraphs, maxChars, passages);
        return passages;
    }

    private static int HeadingLevel(string line)
    {
        var level = 0;
        while (level < line.Length && line[level] == '#')
        {
            level++;
        }

        return level is >= 1 and <= 6 && (level == line.Length || line[level] == ' ') ? level : 0;
    }

    private static void EndParagraph(StringBuilder paragraph, List<string> paragraphs)
    {
        var text = paragraph.ToString().Trim();
        if (text.Length > 0)
        {
            paragraphs.Add(text);
        }

        paragraph.Clear();
    }

    private static void Flush(List<(int Level, string Text)> headings, List<string> paragraphs, int maxChars, List<string> passages)
    {
        if (paragraphs.Count == 0)
        {
            return;
        }

        var prefix = headings.Count == 0 ? string.Empty : string.Join(" > ", headings.Select(h => h.Text)) + "\n";
        var budget = Math.Max(maxChars - prefix.Length, maxChars / 2);
        var body = new StringBuilder();
        foreach (var piece in paragraphs.SelectMany(p => Cut(p, budget)))
        {
            if (body.Length > 0 && body.Length + 2 + piece.Length > budget)
            {
                passages.Add(prefix + body);
                body.Clear();
            }

            body.Append(body.Length > 0 ? "\n\n" : string.Empty).Append(piece);
        }

        if (body.Length > 0)
        {
            passages.Add(prefix + body);
        }

        paragraphs.Clear();
    }

    /// <summary>Cuts one paragraph into pieces of at most <paramref name="max"/> characters, at a sentence end when one lies in the
    /// second half of the window, else at the last space, else hard.</summary>
    private static IEnumerable<string> Cut(string paragraph, int max)
    {
        var rest = paragraph;
        while (rest.Length > max)
        {
            var window = rest[..max];
            var cut = window.LastIndexOfAny(['.', '!', '?']) + 1;
            if (cut < max / 2)
            {
                cut = window.LastIndexOf(' ');
            }

            if (cut < max / 2)
            {
                cut = max;
            }

            yield return rest[..cut].Trim();
            rest = rest[cut..].TrimStart();
        }

        if (rest.Length > 0)
        {
            yield return rest;
        }
    }
}
