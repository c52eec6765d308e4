using System.Globalization;
using System.Text;

namespace Keel.Sentiment;

/// <summary>A text prepared for scoring the way vaderSentiment 3.3.2 prepares it: emoji replaced by their descriptions, split on
/// whitespace, leading and trailing ASCII punctuation stripped from each word unless that leaves two characters or fewer (so
/// emoticons such as <c>:)</c> survive), and whether some but not all words are in capitals.</summary>
/// <remarks>Python's string semantics are reproduced where they change a score: <c>str.split()</c> whitespace, <c>str.isupper()</c>,
/// lengths in code points, iteration over code points for the emoji lookup.</remarks>
internal sealed class SentimentText
{
    private const string AsciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private SentimentText(string text, string[] words)
    {
        Text = text;
        Words = words;
        Lower = new string[words.Length];
        var upper = 0;
        for (var i = 0; i < words.Length; i++)
        {
            Lower[i] = words[i].ToLowerInvariant();
            upper += IsUpper(words[i]) ? 1 : 0;
        }

        var differential = words.Length - upper;
        IsCapDifferential = differential > 0 && differential < words.Length;
    }

    /// <summary>The text with emoji replaced by descriptions and outer whitespace trimmed; punctuation emphasis is counted on it.</summary>
    public string Text { get; }

    /// <summary>The words and emoticons as written.</summary>
    public string[] Words { get; }

    /// <summary>The words lower-cased, index for index.</summary>
    public string[] Lower { get; }

    /// <summary>Whether some words, but not all, are ALL CAPS (the condition for the capitals rule).</summary>
    public bool IsCapDifferential { get; }

    public static SentimentText Create(string text, SentimentLexicon lexicon)
    {
        var translated = TranslateEmoji(text, lexicon).Trim();
        var words = SplitWhitespace(translated);
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = StripPunctuationIfWord(words[i]);
        }

        return new SentimentText(translated, words);
    }

    /// <summary>Python's <c>str.isupper()</c>: at least one cased character and no lower-case or title-case one.</summary>
    public static bool IsUpper(string word)
    {
        var cased = false;
        foreach (var c in word)
        {
            if (char.IsLower(c) || char.GetUnicodeCategory(c) == UnicodeCategory.TitlecaseLetter)
            {
                return false;
            }

            cased |= char.IsUpper(c);
        }

        return cased;
    }

    private static string TranslateEmoji(string text, SentimentLexicon lexicon)
    {
        StringBuilder? builder = null;
        var previousSpace = true;
        for (var i = 0; i < text.Length;)
        {
            var width = char.IsSurrogatePair(text, i) ? 2 : 1;
            var codePoint = text.AsSpan(i, width);
            if (lexicon.TryGetEmojiDescription(codePoint, out var description))
            {
                builder ??= new StringBuilder(text.Length + 32).Append(text, 0, i);
                if (!previousSpace)
                {
                    builder.Append(' ');
                }

                builder.Append(description);
                previousSpace = false;
            }
            else
            {
                builder?.Append(codePoint);
                previousSpace = codePoint[0] == ' ' && width == 1;
            }

            i += width;
        }

        return builder?.ToString() ?? text;
    }

    private static string[] SplitWhitespace(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var boundary = i == text.Length || IsPythonWhitespace(text[i]);
            if (boundary && start >= 0)
            {
                words.Add(text[start..i]);
                start = -1;
            }
            else if (!boundary && start < 0)
            {
                start = i;
            }
        }

        return [.. words];
    }

    // Python's str.isspace() also counts the information separators U+001C…U+001F, which .NET does not.
    private static bool IsPythonWhitespace(char c) => char.IsWhiteSpace(c) || c is >= '\u001c' and <= '\u001f';

    private static string StripPunctuationIfWord(string token)
    {
        var stripped = token.AsSpan().Trim(AsciiPunctuation);
        return CodePoints(stripped) <= 2 ? token : stripped.Length == token.Length ? token : stripped.ToString();
    }

    private static int CodePoints(ReadOnlySpan<char> span)
    {
        var count = 0;
        for (var i = 0; i < span.Length; i++)
        {
            count += char.IsLowSurrogate(span[i]) && i > 0 && char.IsHighSurrogate(span[i - 1]) ? 0 : 1;
        }

        return count;
    }
}
