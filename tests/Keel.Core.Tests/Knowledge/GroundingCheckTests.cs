using Keel.Knowledge;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Knowledge;

public sealed class GroundingCheckTests
{
    private static readonly GroundingCheck Check = new(new WordEmbeddingGenerator(), new RetrievalOptions());

    private static Passage PassageOf(string text) => new("d#0", "d", text, KnowledgeGroups.ForDocument(null), WordEmbeddingGenerator.Embed(text));

    [Fact]
    public async Task AssessAsync_SentenceRestatesAPassage_IsSupportedWithItsScore()
    {
        var passage = PassageOf("Each passenger may check two free bags in economy");

        var result = await Check.AssessAsync("Thanks! Each passenger may check two free bags in economy.", [passage], TestContext.Current.CancellationToken);

        result.Verdict.ShouldBe(GroundingVerdict.Supported);
        result.Score!.Value.ShouldBeGreaterThan(0.9);
        result.Sentences.ShouldHaveSingleItem().PassageId.ShouldBe("d#0");
    }

    [Fact]
    public async Task AssessAsync_AnswerAboutSomethingElse_IsUnsupported()
    {
        var passage = PassageOf("Each passenger may check two free bags in economy");

        var result = await Check.AssessAsync("Your refund of 500 dollars arrives tomorrow by wire transfer.", [passage], TestContext.Current.CancellationToken);

        result.Verdict.ShouldBe(GroundingVerdict.Unsupported);
        result.Score!.Value.ShouldBeLessThan(0.55);
    }

    [Fact]
    public async Task AssessAsync_NothingRetrieved_IsUnsupportedWithoutScore()
    {
        var result = await Check.AssessAsync("Each passenger may check two bags.", [], TestContext.Current.CancellationToken);

        result.Verdict.ShouldBe(GroundingVerdict.Unsupported);
        result.Score.ShouldBeNull();
    }

    [Fact]
    public void Sentences_ShortGreetingsBesideAClaim_KeepsOnlyTheClaim()
    {
        GroundingCheck.Sentences("Sure! Thank you.\nYour flight HAT001 departs at 10:00 tomorrow. Anything else?")
            .ShouldBe(["Your flight HAT001 departs at 10:00 tomorrow."]);
    }

    [Fact]
    public void Sentences_OnlyShortSentences_KeepsThemAll()
    {
        GroundingCheck.Sentences("Sure! Thank you.").ShouldBe(["Sure!", "Thank you."]);
    }
}
