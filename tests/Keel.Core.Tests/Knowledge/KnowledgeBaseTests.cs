using Keel.Knowledge;
using Shouldly;
using Xunit;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Core.Tests.Knowledge;

public sealed class KnowledgeBaseTests
{
    private static async Task<KnowledgeBase> BaseWith(double abstainBelow, params KnowledgeDocument[] documents)
    {
        var kb = new KnowledgeBase(new WordEmbeddingGenerator(), new RetrievalOptions { AbstainBelow = abstainBelow });
        await kb.AddRangeAsync(documents, TestContext.Current.CancellationToken);
        return kb;
    }

    [Fact]
    public async Task SearchAsync_BestPassageBelowThreshold_AbstainsAndHandsOff()
    {
        var kb = await BaseWith(0.55, new KnowledgeDocument("bags", "checked baggage allowance per passenger", []));

        var result = await kb.SearchAsync("refund of travel insurance", null, cancellationToken: TestContext.Current.CancellationToken);

        result.Decision.ShouldBe(RetrievalDecision.AbstainAndHandOff);
        result.BestScore!.Value.ShouldBeLessThan(0.55);
        result.Threshold.ShouldBe(0.55);
    }

    [Fact]
    public async Task SearchAsync_BestPassageAtOrAboveThreshold_Answers()
    {
        var kb = await BaseWith(0.55, new KnowledgeDocument("bags", "checked baggage allowance per passenger", []));

        var result = await kb.SearchAsync("checked baggage allowance", null, cancellationToken: TestContext.Current.CancellationToken);

        result.Decision.ShouldBe(RetrievalDecision.Answer);
        result.Hits.ShouldHaveSingleItem().Passage.DocumentId.ShouldBe("bags");
        result.BestScore!.Value.ShouldBeGreaterThanOrEqualTo(0.55);
    }

    [Fact]
    public async Task SearchAsync_OnlyForeignPassagesMatch_AbstainsWithNoHits()
    {
        var kb = await BaseWith(0.55, new KnowledgeDocument("secret", "refund override code for billing staff", ["billing"]));

        var result = await kb.SearchAsync("refund override code", ["support"], cancellationToken: TestContext.Current.CancellationToken);

        result.Hits.ShouldBeEmpty();
        result.BestScore.ShouldBeNull();
        result.Decision.ShouldBe(RetrievalDecision.AbstainAndHandOff);
    }

    [Fact]
    public async Task SearchAsync_GroupNamesDifferInCase_MatchesCaseInsensitively()
    {
        var kb = await BaseWith(0.55, new KnowledgeDocument("secret", "refund override code", ["Billing"]));

        var result = await kb.SearchAsync("refund override code", ["BILLING"], cancellationToken: TestContext.Current.CancellationToken);

        result.Hits.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task SearchAsync_DocumentWithoutGroups_IsReadableByEveryAsker()
    {
        var kb = await BaseWith(0.55, new KnowledgeDocument("public", "baggage allowance", []));

        var result = await kb.SearchAsync("baggage allowance", null, cancellationToken: TestContext.Current.CancellationToken);

        result.Hits.ShouldHaveSingleItem().Passage.Groups.ShouldBe([KnowledgeGroups.Everyone]);
    }

    [Fact]
    public async Task AddAsync_SameDocumentIdTwice_ReplacesThePassages()
    {
        var kb = await BaseWith(0.55, new KnowledgeDocument("policy", "old text", []));

        await kb.AddAsync(new KnowledgeDocument("policy", "new text", []), TestContext.Current.CancellationToken);

        kb.Passages.ShouldHaveSingleItem().Text.ShouldBe("new text");
        kb.DocumentCount.ShouldBe(1);
    }

    [Fact]
    public async Task Remove_Document_TakesItsPassagesOutOfSearchAndDocument()
    {
        var kb = await BaseWith(0.55, new KnowledgeDocument("policy", "baggage allowance", ["support"]), new KnowledgeDocument("other", "refund rules", []));

        kb.Document("policy")!.Value.Document.Groups.ShouldBe(["support"]);
        kb.Remove("policy").ShouldBeTrue();

        kb.Remove("policy").ShouldBeFalse();
        kb.Document("policy").ShouldBeNull();
        kb.Passages.ShouldAllBe(p => p.DocumentId == "other");
        (await kb.SearchAsync("baggage allowance", ["support"], cancellationToken: TestContext.Current.CancellationToken)).Hits.ShouldAllBe(h => h.Passage.DocumentId == "other");
    }

    [Fact]
    public async Task SearchAsync_TopAboveMax_Throws()
    {
        var kb = await BaseWith(0.55);

        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => kb.SearchAsync("q", null, 51, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(-1.01)]
    [InlineData(double.NaN)]
    public void Validate_AbstainBelowOutsideCosineRange_ThrowsNamingTheSetting(double value)
    {
        var e = Should.Throw<ArgumentOutOfRangeException>(() => new RetrievalOptions { AbstainBelow = value }.Validate());

        e.Message.ShouldContain("AbstainBelow");
    }

    [Fact]
    public void For_TwoWorkspaces_GivesEachItsOwnBase()
    {
        var bases = new KnowledgeBases(new WordEmbeddingGenerator(), new RetrievalOptions { AbstainBelow = 0.7 });

        bases.For("w1").ShouldBeSameAs(bases.For("w1"));
        bases.For("w1").ShouldNotBeSameAs(bases.For("w2"));
        bases.For("w1").Options.AbstainBelow.ShouldBe(0.7);
    }

    [Fact]
    public void AddKeelKnowledge_Configured_RegistersTheValidatedOptions()
    {
        var services = new ServiceCollection().AddKeelKnowledge(o => o.AbstainBelow = 0.7);

        services.Single(d => d.ServiceType == typeof(RetrievalOptions)).ImplementationInstance.ShouldBeOfType<RetrievalOptions>().AbstainBelow.ShouldBe(0.7);
        services.ShouldContain(d => d.ServiceType == typeof(KnowledgeBases));
        services.ShouldContain(d => d.ServiceType == typeof(GroundingCheck));
        Should.Throw<ArgumentOutOfRangeException>(() => new ServiceCollection().AddKeelKnowledge(o => o.AbstainBelow = 2));
    }
}
