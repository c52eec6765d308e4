using System.Collections.Frozen;
using System.Globalization;

namespace Keel.Sentiment;

/// <summary>The VADER sentiment lexicon (about 7,500 words, emoticons, acronyms and slang, each with the mean of ten human ratings on
/// −4 … +4) and the emoji lexicon (emoji → English description), as shipped with vaderSentiment 3.3.2.</summary>
/// <remarks>
/// <para>Source: Hutto &amp; Gilbert, ICWSM 2014, section 3.1 (the lexicon was rated by ten Amazon Mechanical Turk raters per
/// token). The files ship in Keel as embedded resources (<c>src/Keel.Core/Sentiment/Lexicon/</c>) under their MIT license,
/// Copyright (c) 2016 C.J. Hutto (<c>Lexicon/LICENSE.txt</c>).</para>
/// <para>Immutable and thread-safe. <see cref="Default"/> is loaded once, on first use.</para>
/// </remarks>
public sealed class SentimentLexicon
{
    private const string ResourcePrefix = "Keel.Sentiment.Lexicon.";

    private static readonly Lazy<SentimentLexicon> s_default = new(LoadEmbedded);

    private readonly FrozenDictionary<string, double> _valences;
    private readonly FrozenDictionary<string, string> _emojis;
    private readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _emojiLookup;

    private SentimentLexicon(FrozenDictionary<string, double> valences, FrozenDictionary<string, string> emojis)
    {
        _valences = valences;
        _emojis = emojis;
        _emojiLookup = emojis.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The lexicon shipped with Keel: <c>vader_lexicon.txt</c> and <c>emoji_utf8_lexicon.txt</c> of vaderSentiment 3.3.2.</summary>
    public static SentimentLexicon Default => s_default.Value;

    /// <summary>The license text of the lexicon files (MIT, Copyright (c) 2016 C.J. Hutto), as embedded in this assembly.</summary>
    public static string License
    {
        get
        {
            using var reader = OpenResource("LICENSE.txt");
            return reader.ReadToEnd();
        }
    }

    /// <summary>The number of distinct tokens with a valence (7,506 in the shipped file: a few tokens are listed twice and the
    /// last rating wins, as in the reference implementation).</summary>
    public int Count => _valences.Count;

    /// <summary>The number of emoji with a description.</summary>
    public int EmojiCount => _emojis.Count;

    /// <summary>Reads a lexicon in VADER's formats.</summary>
    /// <param name="lexicon">Lines of <c>token&lt;TAB&gt;mean valence&lt;TAB&gt;…</c>; further fields are ignored, empty lines skipped,
    /// and a token listed twice keeps its last valence. Tokens are matched against lower-cased words, ordinally.</param>
    /// <param name="emoji">Lines of <c>emoji&lt;TAB&gt;description</c>.</param>
    /// <returns>The lexicon.</returns>
    /// <exception cref="InvalidDataException">A line has fewer than two fields or a valence that is not a number; the message names the line.</exception>
    public static SentimentLexicon Load(TextReader lexicon, TextReader emoji)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        ArgumentNullException.ThrowIfNull(emoji);
        var valences = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (line, token, value) in Rows(lexicon, "lexicon"))
        {
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var valence) || !double.IsFinite(valence))
            {
                throw new InvalidDataException($"lexicon line {line}: valence '{value}' is not a number");
            }

            valences[token] = valence;
        }

        var emojis = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, token, description) in Rows(emoji, "emoji lexicon"))
        {
            emojis[token] = description;
        }

        return new SentimentLexicon(valences.ToFrozenDictionary(StringComparer.Ordinal), emojis.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>Looks up the mean human valence of a token.</summary>
    /// <param name="token">A lower-cased word, emoticon or acronym, e.g. <c>good</c>, <c>:)</c>, <c>lol</c>.</param>
    /// <param name="valence">The valence on −4 … +4, or 0 when the token is not in the lexicon.</param>
    /// <returns>Whether the token is in the lexicon.</returns>
    public bool TryGetValence(string token, out double valence) => _valences.TryGetValue(token, out valence);

    /// <summary>Whether a lower-cased token is in the lexicon.</summary>
    /// <param name="token">The token.</param>
    /// <returns><see langword="true"/> when the token has a valence.</returns>
    public bool Contains(string token) => _valences.ContainsKey(token);

    /// <summary>Looks up the description of one emoji (one Unicode code point, e.g. 😁 → "beaming face with smiling eyes").</summary>
    /// <param name="emoji">The emoji's UTF-16 characters.</param>
    /// <param name="description">The description, or <see langword="null"/>.</param>
    /// <returns>Whether the emoji is in the emoji lexicon.</returns>
    public bool TryGetEmojiDescription(ReadOnlySpan<char> emoji, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? description) =>
        _emojiLookup.TryGetValue(emoji, out description);

    private static SentimentLexicon LoadEmbedded()
    {
        using var lexicon = OpenResource("vader_lexicon.txt");
        using var emoji = OpenResource("emoji_utf8_lexicon.txt");
        return Load(lexicon, emoji);
    }

    private static StreamReader OpenResource(string name)
    {
        var stream = typeof(SentimentLexicon).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"embedded resource {ResourcePrefix}{name} is missing from Keel.Core: the build did not embed src/Keel.Core/Sentiment/Lexicon/{name}");
        return new StreamReader(stream, System.Text.Encoding.UTF8);
    }

    private static IEnumerable<(int Line, string Token, string Value)> Rows(TextReader reader, string what)
    {
        var number = 0;
        while (reader.ReadLine() is { } raw)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length < 2)
            {
                throw new InvalidDataException($"{what} line {number}: expected at least two tab-separated fields");
            }

            yield return (number, fields[0], fields[1]);
        }
    }
}
