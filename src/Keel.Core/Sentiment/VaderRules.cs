using static Keel.Sentiment.VaderConstants;

namespace Keel.Sentiment;

/// <summary>VADER's heuristics (paper, section 3.3) as pure functions over the lower-cased words of a text, ported from
/// vaderSentiment 3.3.2 rule for rule, quirks included, so that scores match the reference implementation.</summary>
internal static class VaderRules
{
    /// <summary>Whether a word negates: a <see cref="VaderConstants.Negations"/> word or any word containing "n't".</summary>
    public static bool IsNegation(string lowerWord) =>
        Negations.Contains(lowerWord) || lowerWord.Contains("n't", StringComparison.Ordinal);

    /// <summary>What a booster or dampener word adds to a sentiment word of the given valence (0 for other words), with the caps
    /// increment when the booster is ALL CAPS among mixed-case words.</summary>
    public static double BoosterScalar(string word, string lowerWord, double valence, bool isCapDifferential)
    {
        if (!Boosters.TryGetValue(lowerWord, out var scalar))
        {
            return 0.0;
        }

        if (valence < 0)
        {
            scalar = -scalar;
        }

        if (isCapDifferential && SentimentText.IsUpper(word))
        {
            scalar += valence > 0 ? CapsIncrement : -CapsIncrement;
        }

        return scalar;
    }

    /// <summary>Negation of the word <paramref name="distance"/> + 1 places before word <paramref name="i"/>, with the exceptions
    /// "never so/this" (intensifies by 1.25) and "without doubt" (no negation).</summary>
    public static double NegationCheck(double valence, string[] lower, int distance, int i)
    {
        switch (distance)
        {
            case 0:
                return IsNegation(lower[i - 1]) ? valence * NegationScalar : valence;
            case 1:
                if (lower[i - 2] == "never" && lower[i - 1] is "so" or "this")
                {
                    return valence * 1.25;
                }

                if (lower[i - 2] == "without" && lower[i - 1] == "doubt")
                {
                    return valence;
                }

                return IsNegation(lower[i - 2]) ? valence * NegationScalar : valence;
            default:
                // As in the reference: "so"/"this" right before the word intensifies whatever is three words back.
                if ((lower[i - 3] == "never" && lower[i - 2] is "so" or "this") || lower[i - 1] is "so" or "this")
                {
                    return valence * 1.25;
                }

                if (lower[i - 3] == "without" && (lower[i - 2] == "doubt" || lower[i - 1] == "doubt"))
                {
                    return valence;
                }

                return IsNegation(lower[i - 3]) ? valence * NegationScalar : valence;
        }
    }

    /// <summary>"least" before a sentiment word negates it, except in "at least" and "very least".</summary>
    public static double LeastCheck(double valence, string[] lower, int i, SentimentLexicon lexicon)
    {
        if (i == 0 || lower[i - 1] != "least" || lexicon.Contains(lower[i - 1]))
        {
            return valence;
        }

        return i > 1 && lower[i - 2] is "at" or "very" ? valence : valence * NegationScalar;
    }

    /// <summary>Idioms around word <paramref name="i"/> (i ≥ 3) that replace its valence (<see cref="VaderConstants.SpecialCases"/>),
    /// then multi-word boosters ("kind of", "sort of") among the three words before it.</summary>
    public static double SpecialIdiomsCheck(double valence, string[] lower, int i)
    {
        var oneZero = $"{lower[i - 1]} {lower[i]}";
        var twoOneZero = $"{lower[i - 2]} {lower[i - 1]} {lower[i]}";
        var twoOne = $"{lower[i - 2]} {lower[i - 1]}";
        var threeTwoOne = $"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}";
        var threeTwo = $"{lower[i - 3]} {lower[i - 2]}";
        foreach (var sequence in (ReadOnlySpan<string>)[oneZero, twoOneZero, twoOne, threeTwoOne, threeTwo])
        {
            if (SpecialCases.TryGetValue(sequence, out var idiom))
            {
                valence = idiom;
                break;
            }
        }

        if (lower.Length - 1 > i && SpecialCases.TryGetValue($"{lower[i]} {lower[i + 1]}", out var after))
        {
            valence = after;
        }

        if (lower.Length - 1 > i + 1 && SpecialCases.TryGetValue($"{lower[i]} {lower[i + 1]} {lower[i + 2]}", out var afterTwo))
        {
            valence = afterTwo;
        }

        foreach (var nGram in (ReadOnlySpan<string>)[threeTwoOne, threeTwo, twoOne])
        {
            if (Boosters.TryGetValue(nGram, out var booster))
            {
                valence += booster;
            }
        }

        return valence;
    }

    /// <summary>The contrastive conjunction: words before the first "but" × 0.5, words after it × 1.5 (paper, section 3.3, rule 4).</summary>
    /// <remarks>The reference finds each word's position with <c>list.index(value)</c>, i.e. the first word with an equal valence,
    /// so when two words carry the same valence the earlier one may be scaled twice and the later not at all. That is reproduced
    /// here, because the paper's figures and every published example come from that code.</remarks>
    public static void ButCheck(string[] lower, double[] sentiments)
    {
        var but = Array.IndexOf(lower, "but");
        if (but < 0)
        {
            return;
        }

        for (var k = 0; k < sentiments.Length; k++)
        {
            var sentiment = sentiments[k];
            var first = Array.IndexOf(sentiments, sentiment);
            if (first < but)
            {
                sentiments[first] = sentiment * BeforeButFactor;
            }
            else if (first > but)
            {
                sentiments[first] = sentiment * AfterButFactor;
            }
        }
    }

    /// <summary>Emphasis from punctuation: 0.292 per "!" (up to 4), and 0.18 per "?" when there are 2 or 3 (0.96 for 4 or more).</summary>
    public static double PunctuationEmphasis(string text)
    {
        var exclamations = Math.Min(text.AsSpan().Count('!'), MaxExclamationMarks);
        var questions = text.AsSpan().Count('?');
        var questionEmphasis = questions <= 1 ? 0.0 : questions <= 3 ? questions * QuestionIncrement : MaxQuestionEmphasis;
        return (exclamations * ExclamationIncrement) + questionEmphasis;
    }

    /// <summary>Maps a sum of intensities to [−1, 1]: <c>x / √(x² + α)</c>, α = 15.</summary>
    public static double Normalize(double score) =>
        Math.Clamp(score / Math.Sqrt((score * score) + NormalizationAlpha), -1.0, 1.0);
}
