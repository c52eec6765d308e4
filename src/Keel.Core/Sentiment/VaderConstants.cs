using System.Collections.Frozen;

namespace Keel.Sentiment;

/// <summary>The empirically derived constants and word lists of VADER (Hutto &amp; Gilbert, "VADER: A Parsimonious Rule-based Model
/// for Sentiment Analysis of Social Media Text", ICWSM 2014), with the values of the reference implementation, vaderSentiment 3.3.2.</summary>
/// <remarks>Intensities are on the lexicon's scale, −4 (most negative) … +4 (most positive). The increments come from Table 3 of the
/// paper (section 3.3: the mean difference in human ratings with and without the cue).</remarks>
public static class VaderConstants
{
    /// <summary>What a booster word ("very", "extremely") adds to the intensity of the sentiment word after it: +0.293 (paper, Table 3,
    /// "Deg. Mod.").</summary>
    public const double BoosterIncrement = 0.293;

    /// <summary>What a dampener word ("kind of", "barely") adds: −0.293, the booster increment with the opposite sign.</summary>
    public const double BoosterDecrement = -0.293;

    /// <summary>What an ALL-CAPS sentiment word or booster adds when other words are not in capitals: +0.733 (paper, Table 3, "All CAPS").</summary>
    public const double CapsIncrement = 0.733;

    /// <summary>The factor a negation ("not", "isn't", "never") applies to the sentiment word it precedes by up to three words: −0.74.</summary>
    public const double NegationScalar = -0.74;

    /// <summary>What each exclamation mark adds to the total intensity, for up to <see cref="MaxExclamationMarks"/> marks: +0.292
    /// (paper, Table 3, "Punctuation (. vs !)", rounded as in the reference implementation).</summary>
    public const double ExclamationIncrement = 0.292;

    /// <summary>The number of exclamation marks that count: 4.</summary>
    public const int MaxExclamationMarks = 4;

    /// <summary>What each question mark adds when a text has two or three of them: +0.18; four or more add <see cref="MaxQuestionEmphasis"/>.</summary>
    public const double QuestionIncrement = 0.18;

    /// <summary>What four or more question marks add: +0.96.</summary>
    public const double MaxQuestionEmphasis = 0.96;

    /// <summary>The factor on every word before the contrastive conjunction "but": 0.5 (paper, section 3.3, rule 4).</summary>
    public const double BeforeButFactor = 0.5;

    /// <summary>The factor on every word after "but": 1.5.</summary>
    public const double AfterButFactor = 1.5;

    /// <summary>The normalisation constant α of <c>compound = x / √(x² + α)</c>, which maps a sum of intensities to (−1, 1): 15, "an
    /// alpha that approximates the max expected value".</summary>
    public const double NormalizationAlpha = 15;

    /// <summary>The compound score at or above which a text is positive, and whose negation at or below which it is negative: 0.05
    /// (the reference README's "typical threshold values"; the paper's classification thresholds, section 4).</summary>
    public const double CompoundThreshold = 0.05;

    /// <summary>Negation words (vaderSentiment's <c>NEGATE</c>); any word containing "n't" negates too.</summary>
    internal static readonly FrozenSet<string> Negations = FrozenSet.Create(StringComparer.Ordinal,
    [
        "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
        "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
        "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
        "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
        "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
        "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
        "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
        "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite",
    ]);

    /// <summary>Booster and dampener words ("degree adverbs") and what each adds (vaderSentiment's <c>BOOSTER_DICT</c>).</summary>
    internal static readonly FrozenDictionary<string, double> Boosters = BuildBoosters();

    /// <summary>Idioms and phrases containing lexicon words whose intensity replaces the word's (vaderSentiment's <c>SPECIAL_CASES</c>).</summary>
    internal static readonly FrozenDictionary<string, double> SpecialCases = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["the shit"] = 3, ["the bomb"] = 3, ["bad ass"] = 1.5, ["badass"] = 1.5, ["bus stop"] = 0.0,
        ["yeah right"] = -2, ["kiss of death"] = -1.5, ["to die for"] = 3,
        ["beating heart"] = 3.1, ["broken heart"] = -2.9,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static FrozenDictionary<string, double> BuildBoosters()
    {
        string[] increments =
        [
            "absolutely", "amazingly", "awfully", "completely", "considerable", "considerably", "decidedly", "deeply", "effing",
            "enormous", "enormously", "entirely", "especially", "exceptional", "exceptionally", "extreme", "extremely",
            "fabulously", "flipping", "flippin", "frackin", "fracking", "fricking", "frickin", "frigging", "friggin", "fully",
            "fuckin", "fucking", "fuggin", "fugging", "greatly", "hella", "highly", "hugely", "incredible", "incredibly", "intensely",
            "major", "majorly", "more", "most", "particularly", "purely", "quite", "really", "remarkably", "so", "substantially",
            "thoroughly", "total", "totally", "tremendous", "tremendously", "uber", "unbelievably", "unusually", "utter", "utterly",
            "very",
        ];
        string[] decrements =
        [
            "almost", "barely", "hardly", "just enough", "kind of", "kinda", "kindof", "kind-of", "less", "little", "marginal",
            "marginally", "occasional", "occasionally", "partly", "scarce", "scarcely", "slight", "slightly", "somewhat",
            "sort of", "sorta", "sortof", "sort-of",
        ];
        var boosters = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var word in increments)
        {
            boosters[word] = BoosterIncrement;
        }

        foreach (var word in decrements)
        {
            boosters[word] = BoosterDecrement;
        }

        return boosters.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
