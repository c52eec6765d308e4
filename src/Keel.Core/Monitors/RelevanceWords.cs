using System.Globalization;
using System.Text.RegularExpressions;

namespace Keel.Monitors;

/// <summary>
/// The word splitting of <see cref="RelevanceDetector"/>: letter/digit runs, split again at camelCase boundaries
/// (<c>calculateFinalPrice</c> → calculate, final, price), lower-cased, stop words dropped, normalised to their first
/// <see cref="RelevanceDetector.PrefixLength"/> characters after dropping a plural <c>s</c>. One pass over the text; a word
/// already in the target set allocates nothing. Thread-safe.
/// </summary>
internal static partial class RelevanceWords
{
    /// <summary>Longest word kept whole; longer runs are cut (only their first characters are compared anyway). Value: 64.</summary>
    private const int MaxWord = 64;

    /// <summary>The stop words (lower case, ordinal).</summary>
    public static readonly HashSet<string> Stop = new(
        """
        a about above after again against all also am an and any are as at be because been before being below between both but by
        can could did do does doing down during each few for from further had has have having he her here hers him his how i if in
        into is it its itself just me more most my no nor not now of off on once only or other our ours out over own same she
        should so some such than that the their theirs them then there these they this those through to too under until up very
        was we were what when where which while who whom why will with would you your yours please want need like know tell give
        show find get let help make use using used given specific based provide
        """.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
        StringComparer.Ordinal);

    /// <summary>Adds the normalised words of a text to a set.</summary>
    /// <param name="text">Any text.</param>
    /// <param name="into">The set (ordinal comparer).</param>
    /// <param name="contentOnly">Keep only content words: at least 2 characters and not all digits. Otherwise every non-stop word.</param>
    public static void Collect(ReadOnlySpan<char> text, HashSet<string> into, bool contentOnly)
    {
        var target = into.GetAlternateLookup<ReadOnlySpan<char>>();
        var stop = Stop.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> word = stackalloc char[MaxWord];
        var length = 0;
        var allDigits = true;
        var previous = '\0';
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            var isWordChar = char.IsLetterOrDigit(c);
            if (length > 0 && (!isWordChar || (char.IsUpper(c) && (char.IsLower(previous) || char.IsDigit(previous)))))
            {
                var w = word[..Math.Min(length, MaxWord)];
                if ((!contentOnly || (length > 1 && !allDigits)) && !stop.Contains(w))
                {
                    target.Add(Normalize(w));
                }

                length = 0;
                allDigits = true;
            }

            if (isWordChar)
            {
                if (length < MaxWord)
                {
                    word[length] = char.ToLowerInvariant(c);
                }

                length++;
                allDigits &= char.IsAsciiDigit(c);
            }

            previous = c;
        }
    }

    /// <summary>The numbers written in a text ("1,500" is 1500).</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The numbers in order.</returns>
    public static IEnumerable<double> Numbers(string text) =>
        NumberRun().Matches(text).Select(m => double.Parse(m.Value.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture));

    private static ReadOnlySpan<char> Normalize(ReadOnlySpan<char> word)
    {
        if (word.Length > 3 && word[^1] == 's' && word[^2] != 's')
        {
            word = word[..^1];
        }

        return word.Length > RelevanceDetector.PrefixLength ? word[..RelevanceDetector.PrefixLength] : word;
    }

    [GeneratedRegex(@"\d[\d,]*(?:\.\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex NumberRun();
}
