using Keel.Sentiment;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Sentiment;

/// <summary>Each heuristic of the paper (section 3.3) and of vaderSentiment 3.3.2 in isolation, against the arithmetic it implies.
/// Lexicon valences used: good 1.9, bad −2.5, shit −2.6.</summary>
public sealed class VaderRulesTests
{
    private const double Good = 1.9;
    private const double Bad = -2.5;

    private static double Compound(string text) => SentimentAnalyzer.Default.Score(text).Compound;

    // compound = x / √(x² + 15), rounded to 4 decimals as the reference does.
    private static double Normalized(double sum) => Math.Round(sum / Math.Sqrt((sum * sum) + 15), 4);

    [Fact]
    public void Score_SingleLexiconWord_IsItsNormalizedValence()
    {
        Compound("good").ShouldBe(Normalized(Good));
        Compound("bad").ShouldBe(Normalized(Bad));
        Compound("table").ShouldBe(0.0);
    }

    [Fact]
    public void Score_EmptyOrWhitespace_IsAllZeros()
    {
        SentimentAnalyzer.Default.Score("").ShouldBe(default);
        SentimentAnalyzer.Default.Score("  \t ").ShouldBe(default);
    }

    [Fact]
    public void Score_ExclamationMarks_AddPoint292EachUpToFour()
    {
        Compound("good!").ShouldBe(Normalized(Good + 0.292));
        Compound("good!!!!").ShouldBe(Normalized(Good + (4 * 0.292)));
        Compound("good!!!!!!").ShouldBe(Compound("good!!!!"));
        Compound("bad!").ShouldBe(Normalized(Bad - 0.292));
    }

    [Fact]
    public void Score_QuestionMarks_AddOnlyFromTwoOn()
    {
        Compound("good?").ShouldBe(Normalized(Good));
        Compound("good??").ShouldBe(Normalized(Good + 0.36));
        Compound("good???").ShouldBe(Normalized(Good + 0.54));
        Compound("good?????").ShouldBe(Normalized(Good + 0.96));
    }

    [Fact]
    public void Score_AllCapsWordAmongLowerCase_AddsPoint733()
    {
        Compound("GOOD book").ShouldBe(Normalized(Good + 0.733));
        Compound("BAD book").ShouldBe(Normalized(Bad - 0.733));
    }

    [Fact]
    public void Score_EveryWordInCaps_GetsNoCapsEmphasis()
    {
        Compound("GOOD BOOK").ShouldBe(Normalized(Good));
    }

    [Fact]
    public void Score_BoosterAndDampener_ShiftByPoint293DampedWithDistance()
    {
        Compound("very good").ShouldBe(Normalized(Good + 0.293));
        Compound("very bad").ShouldBe(Normalized(Bad - 0.293));
        Compound("barely good").ShouldBe(Normalized(Good - 0.293));
        Compound("very the good").ShouldBe(Normalized(Good + (0.293 * 0.95)));
        Compound("very the the good").ShouldBe(Normalized(Good + (0.293 * 0.9)));
        Compound("very the the the good").ShouldBe(Normalized(Good));
    }

    [Fact]
    public void Score_AllCapsBooster_AddsTheCapsIncrementToo()
    {
        Compound("VERY good").ShouldBe(Normalized(Good + 0.293 + 0.733));
    }

    [Fact]
    public void Score_NegationWithinThreeWords_ScalesByMinusPoint74()
    {
        Compound("not good").ShouldBe(Normalized(Good * -0.74));
        Compound("isn't good").ShouldBe(Normalized(Good * -0.74));
        Compound("it isnt really good").ShouldBe(Normalized((Good + 0.293) * -0.74));
        Compound("not the the good").ShouldBe(Normalized(Good * -0.74));
        Compound("not the the the good").ShouldBe(Normalized(Good));
    }

    [Fact]
    public void Score_NeverSoOrThis_IntensifiesInsteadOfNegating()
    {
        Compound("never so good").ShouldBe(Normalized((Good + 0.293) * 1.25));
        Compound("never good").ShouldBe(Normalized(Good * -0.74));
    }

    [Fact]
    public void Score_WithoutDoubt_DoesNotNegate()
    {
        // "doubt" is itself a lexicon word (−1.5), so the phrase is scored word by word: "without" does not negate "good".
        Compound("without doubt good").ShouldBe(Normalized(-1.5 * -0.74 + Good));
    }

    [Fact]
    public void Score_NoBeforeLexiconWord_NegatesItAndLosesItsOwnValence()
    {
        Compound("no good").ShouldBe(Normalized(Good * -0.74));
        Compound("no").ShouldBe(Normalized(-1.2));
    }

    [Fact]
    public void Score_Least_NegatesExceptAfterAtOrVery()
    {
        Compound("least good").ShouldBe(Normalized(Good * -0.74));
        Compound("the least good").ShouldBe(Normalized(Good * -0.74));
        Compound("at least good").ShouldBe(Normalized(Good));
    }

    [Fact]
    public void Score_But_HalvesBeforeAndMultipliesAfterByOneAndAHalf()
    {
        Compound("good but bad").ShouldBe(Normalized((Good * 0.5) + (Bad * 1.5)));
        Compound("bad but good").ShouldBe(Normalized((Bad * 0.5) + (Good * 1.5)));
    }

    [Fact]
    public void Score_KindOf_DampensTheWordAfterIt()
    {
        Compound("it was kind of good").ShouldBe(Normalized(Good - 0.293));
    }

    [Fact]
    public void Score_SpecialCaseIdiom_ReplacesTheWordsValence()
    {
        Compound("VADER is the shit").ShouldBe(Normalized(3));
        Compound("VADER is shit").ShouldBe(Normalized(-2.6));
    }

    [Fact]
    public void Score_Emoji_IsScoredAsItsDescription()
    {
        var emoji = SentimentAnalyzer.Default.Score("😁");

        emoji.ShouldBe(SentimentAnalyzer.Default.Score("beaming face with smiling eyes"));
        emoji.Compound.ShouldBeGreaterThan(0.05);
        SentimentAnalyzer.Default.Score("great😁").ShouldBe(SentimentAnalyzer.Default.Score("great beaming face with smiling eyes"));
    }

    [Fact]
    public void Score_PunctuationAroundWords_IsStrippedButEmoticonsSurvive()
    {
        Compound("\"good,\"").ShouldBe(Normalized(Good));
        Compound(":)").ShouldNotBe(0.0);
    }

    [Fact]
    public void Score_LongText_StaysWithinMinusOneAndOne()
    {
        var text = string.Join(' ', Enumerable.Repeat("EXTREMELY GREAT love wonderful", 200)) + " day!!!!";

        var scores = SentimentAnalyzer.Default.Score(text);

        scores.Compound.ShouldBeInRange(0.99, 1.0);
        (scores.Negative + scores.Neutral + scores.Positive).ShouldBe(1.0, 0.002);
    }

    [Fact]
    public void Score_SameAnalyzerFromManyThreads_GivesTheSameScores()
    {
        const string sentence = "The plot was good, but the characters are uncompelling and the dialog is not great.";
        var expected = SentimentAnalyzer.Default.Score(sentence);

        var results = new SentimentScores[64];
        Parallel.For(0, results.Length, i => results[i] = SentimentAnalyzer.Default.Score(sentence));

        results.ShouldAllBe(s => s == expected);
    }
}
