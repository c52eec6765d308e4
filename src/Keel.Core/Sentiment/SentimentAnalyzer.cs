using System.Globalization;
using static Keel.Sentiment.VaderConstants;

namespace Keel.Sentiment;

/// <summary>Scores the sentiment of a sentence with VADER (Valence Aware Dictionary and sEntiment Reasoner; Hutto &amp; Gilbert,
/// ICWSM 2014), a C# port of the reference implementation vaderSentiment 3.3.2 that returns the same scores.</summary>
/// <remarks>
/// <para>Each word's valence comes from <see cref="SentimentLexicon"/> (section 3.1) and is adjusted by the five heuristics of
/// section 3.3: punctuation ("!" up to four, "??"), capitals (an ALL-CAPS word among mixed-case words, +0.733), degree modifiers
/// (boosters ±0.293, damped by 0.95 and 0.9 at two and three words' distance), the contrastive conjunction "but" (0.5 before,
/// 1.5 after) and negation within three words (×−0.74, with "n't", "never so/this", "without doubt", "at least", "no"), plus
/// the reference's idioms ("the shit", "kiss of death"), "kind of" and emoji translated to their descriptions.</para>
/// <para>VADER works best on one sentence at a time; for longer text, score each sentence and average the compounds.</para>
/// <para>Immutable and thread-safe; <see cref="Default"/> shares one instance over the shipped lexicon.</para>
/// </remarks>
public sealed class SentimentAnalyzer
{
    private static readonly Lazy<SentimentAnalyzer> s_default = new(() => new SentimentAnalyzer(SentimentLexicon.Default));

    private readonly SentimentLexicon _lexicon;

    /// <summary>Creates an analyzer over a lexicon.</summary>
    /// <param name="lexicon">The lexicon; usually <see cref="SentimentLexicon.Default"/>.</param>
    public SentimentAnalyzer(SentimentLexicon lexicon)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        _lexicon = lexicon;
    }

    /// <summary>An analyzer over the shipped lexicon, created on first use.</summary>
    public static SentimentAnalyzer Default => s_default.Value;

    /// <summary>Scores one text (vaderSentiment's <c>polarity_scores</c>).</summary>
    /// <param name="text">The text, ideally one sentence; empty or whitespace-only text scores all zeros.</param>
    /// <returns>The negative, neutral and positive shares and the compound score in [−1, 1].</returns>
    public SentimentScores Score(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentiText = SentimentText.Create(text, _lexicon);
        var lower = sentiText.Lower;
        var sentiments = new double[lower.Length];
        for (var i = 0; i < lower.Length; i++)
        {
            // Boosters and "kind of" modify the next word rather than carry sentiment themselves.
            var isModifier = Boosters.ContainsKey(lower[i]) || (i < lower.Length - 1 && lower[i] == "kind" && lower[i + 1] == "of");
            sentiments[i] = isModifier ? 0.0 : Valence(sentiText, i);
        }

        VaderRules.ButCheck(lower, sentiments);
        return ScoreValence(sentiments, sentiText.Text);
    }

    private double Valence(SentimentText text, int i)
    {
        var lower = text.Lower;
        if (!_lexicon.TryGetValence(lower[i], out var valence))
        {
            return 0.0;
        }

        var lexiconValence = valence;

        // "no" before another lexicon word negates it instead of carrying its own valence.
        if (lower[i] == "no" && i != lower.Length - 1 && _lexicon.Contains(lower[i + 1]))
        {
            valence = 0.0;
        }

        if ((i > 0 && lower[i - 1] == "no") || (i > 1 && lower[i - 2] == "no") || (i > 2 && lower[i - 3] == "no" && lower[i - 1] is "or" or "nor"))
        {
            valence = lexiconValence * NegationScalar;
        }

        if (text.IsCapDifferential && SentimentText.IsUpper(text.Words[i]))
        {
            valence += valence > 0 ? CapsIncrement : -CapsIncrement;
        }

        for (var distance = 0; distance < 3; distance++)
        {
            var before = i - (distance + 1);
            if (before < 0 || _lexicon.Contains(lower[before]))
            {
                continue;
            }

            var scalar = VaderRules.BoosterScalar(text.Words[before], lower[before], valence, text.IsCapDifferential);
            scalar *= distance switch { 1 => 0.95, 2 => 0.9, _ => 1.0 };
            valence = VaderRules.NegationCheck(valence + scalar, lower, distance, i);
            if (distance == 2)
            {
                valence = VaderRules.SpecialIdiomsCheck(valence, lower, i);
            }
        }

        return VaderRules.LeastCheck(valence, lower, i, _lexicon);
    }

    private static SentimentScores ScoreValence(double[] sentiments, string text)
    {
        if (sentiments.Length == 0)
        {
            return default;
        }

        var sum = 0.0;
        foreach (var sentiment in sentiments)
        {
            sum += sentiment;
        }

        var emphasis = VaderRules.PunctuationEmphasis(text);
        sum += sum > 0 ? emphasis : sum < 0 ? -emphasis : 0.0;
        var compound = VaderRules.Normalize(sum);

        // Words with sentiment count 1 more than their intensity so that they weigh against neutral words, which count 1 each.
        double positive = 0.0, negative = 0.0;
        var neutral = 0;
        foreach (var sentiment in sentiments)
        {
            if (sentiment > 0)
            {
                positive += sentiment + 1;
            }
            else if (sentiment < 0)
            {
                negative += sentiment - 1;
            }
            else
            {
                neutral++;
            }
        }

        if (positive > Math.Abs(negative))
        {
            positive += emphasis;
        }
        else if (positive < Math.Abs(negative))
        {
            negative -= emphasis;
        }

        var total = positive + Math.Abs(negative) + neutral;
        return new SentimentScores(
            Negative: Round(Math.Abs(negative / total), 3),
            Neutral: Round(Math.Abs(neutral / total), 3),
            Positive: Round(Math.Abs(positive / total), 3),
            Compound: Round(compound, 4));
    }

    // Python's round() rounds the exact binary value, half to even; formatting to a fixed number of digits rounds the exact value
    // too, where Math.Round(x, n) first multiplies by 10ⁿ and can land on the other side of a half.
    private static double Round(double value, int digits) =>
        double.Parse(value.ToString(digits == 3 ? "F3" : "F4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
