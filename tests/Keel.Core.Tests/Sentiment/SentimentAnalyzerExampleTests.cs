using Keel.Sentiment;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Sentiment;

/// <summary>The example sentences of the reference implementation's README with their published scores.</summary>
/// <remarks>Compound scores: cjhutto/vaderSentiment README.rst, "Output for the above example code". Shares (neg/neu/pos): the
/// same list as printed by vaderSentiment 3.3.x (README.md of 3.3.x copies, keys in neg/neu/pos order): they differ from the
/// older README.rst only for "At least it isn't a horrible book." (0.637/0.363 there, 0.678/0.322 in 3.3.x) and for the emoji
/// sentence, whose compound is 0.7003 in the older README (emoji scored before 3.3's translation to descriptions) and 0.875 in 3.3.x.</remarks>
public sealed class SentimentAnalyzerExampleTests
{
    public static TheoryData<string, double, double, double, double> ReadmeExamples => new()
    {
        { "VADER is smart, handsome, and funny.", 0.0, 0.254, 0.746, 0.8316 },
        { "VADER is smart, handsome, and funny!", 0.0, 0.248, 0.752, 0.8439 },
        { "VADER is very smart, handsome, and funny.", 0.0, 0.299, 0.701, 0.8545 },
        { "VADER is VERY SMART, handsome, and FUNNY.", 0.0, 0.246, 0.754, 0.9227 },
        { "VADER is VERY SMART, handsome, and FUNNY!!!", 0.0, 0.233, 0.767, 0.9342 },
        { "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!", 0.0, 0.294, 0.706, 0.9469 },
        { "VADER is not smart, handsome, nor funny.", 0.646, 0.354, 0.0, -0.7424 },
        { "The book was good.", 0.0, 0.508, 0.492, 0.4404 },
        { "At least it isn't a horrible book.", 0.0, 0.678, 0.322, 0.431 },
        { "The book was only kind of good.", 0.0, 0.697, 0.303, 0.3832 },
        { "The plot was good, but the characters are uncompelling and the dialog is not great.", 0.327, 0.579, 0.094, -0.7042 },
        { "Today SUX!", 0.779, 0.221, 0.0, -0.5461 },
        { "Today only kinda sux! But I'll get by, lol", 0.127, 0.556, 0.317, 0.5249 },
        { "Make sure you :) or :D today!", 0.0, 0.294, 0.706, 0.8633 },
        { "Catch utf-8 emoji such as such as 💘 and 💋 and 😁", 0.0, 0.615, 0.385, 0.875 },
        { "Not bad at all", 0.0, 0.513, 0.487, 0.431 },
        { "Watch the rose wilt.", 0.0, 1.0, 0.0, 0.0 },
    };

    [Theory]
    [MemberData(nameof(ReadmeExamples))]
    public void Score_ReadmeExample_MatchesPublishedScores(string sentence, double negative, double neutral, double positive, double compound)
    {
        var scores = SentimentAnalyzer.Default.Score(sentence);

        scores.ShouldBe(new SentimentScores(negative, neutral, positive, compound));
    }

    [Fact]
    public void Score_EmojiSentenceOfTheTaskList_HasThePublished33Compound()
    {
        SentimentAnalyzer.Default.Score("Catch utf-8 emoji such as 💘 and 💋 and 😁").ShouldBe(new SentimentScores(0.0, 0.583, 0.417, 0.875));
    }

    [Fact]
    public void Polarity_ReadmeThresholds_ClassifyAtPlusMinusFiveHundredths()
    {
        new SentimentScores(0, 1, 0, 0.05).Polarity().ShouldBe(SentimentPolarity.Positive);
        new SentimentScores(0, 1, 0, 0.0499).Polarity().ShouldBe(SentimentPolarity.Neutral);
        new SentimentScores(0, 1, 0, -0.0499).Polarity().ShouldBe(SentimentPolarity.Neutral);
        new SentimentScores(0, 1, 0, -0.05).Polarity().ShouldBe(SentimentPolarity.Negative);
        new SentimentScores(0, 1, 0, 0.0).Polarity(0).ShouldBe(SentimentPolarity.Neutral);
    }

    [Fact]
    public void Default_Lexicon_IsTheShippedVaderLexiconWithItsLicense()
    {
        var lexicon = SentimentLexicon.Default;

        lexicon.Count.ShouldBe(7506);
        lexicon.TryGetValence("good", out var good).ShouldBeTrue();
        good.ShouldBe(1.9);
        lexicon.TryGetValence(":)", out _).ShouldBeTrue();
        lexicon.TryGetEmojiDescription("😁", out var description).ShouldBeTrue();
        description.ShouldBe("beaming face with smiling eyes");
        SentimentLexicon.License.ShouldContain("Copyright (c) 2016 C.J. Hutto");
        SentimentLexicon.License.ShouldContain("The MIT License");
    }

    [Fact]
    public void Load_MalformedValence_ThrowsNamingTheLine()
    {
        var ex = Should.Throw<InvalidDataException>(() => SentimentLexicon.Load(new StringReader("good\t1.9\nbad\tx\n"), new StringReader("")));

        ex.Message.ShouldContain("line 2");
    }

    [Fact]
    public void Score_CustomLexicon_UsesItsValences()
    {
        var analyzer = new SentimentAnalyzer(SentimentLexicon.Load(new StringReader("keel\t2.0\n"), new StringReader("")));

        analyzer.Score("keel").Compound.ShouldBe(0.4588); // 2 / √(4 + 15)
        analyzer.Score("good").Compound.ShouldBe(0.0);
    }
}
