using System.Text.RegularExpressions;

namespace Keel.Text;

/// <summary>Splits a message into sentences: after <c>.</c>, <c>!</c> or <c>?</c> followed by white space, and at line breaks. The one
/// splitter of Keel's text checks (sentiment per sentence, grounding per sentence). Thread-safe.</summary>
public static partial class Sentences
{
    /// <summary>The sentences of a text, trimmed, in order, without empty ones.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The sentences; the whole trimmed text when it has no sentence end; empty for blank text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. SentenceEnd().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0)];
    }

    [GeneratedRegex(@"(?<=[.!?])\s+|\n+")]
    private static partial Regex SentenceEnd();
}
