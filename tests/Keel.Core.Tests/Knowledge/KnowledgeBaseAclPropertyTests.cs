using Keel.Knowledge;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Knowledge;

/// <summary>Permission-aware retrieval as a property over generated ACLs and queries (a seeded random loop: 1,000 cases).</summary>
public sealed class KnowledgeBaseAclPropertyTests
{
    private static readonly string[] Groups = ["support", "billing", "legal", "vip", "SUPPORT", "everyone"];
    private static readonly string[] Words = ["refund", "baggage", "cancel", "upgrade", "insurance", "payment", "delay", "seat"];

    [Fact]
    public async Task SearchAsync_GeneratedAclsAndQueries_ReturnsNoForeignPassageAndMatchesTheReadableOnlyBase()
    {
        var random = new Random(20261205);
        var foreignReturned = 0;
        var cases = 0;
        for (; cases < 1000; cases++)
        {
            var documents = Enumerable.Range(0, random.Next(1, 12)).Select(i => new KnowledgeDocument(
                $"d{i}",
                // Few words from a small vocabulary: identical texts (exact ties) across groups are common.
                string.Join(' ', Enumerable.Range(0, random.Next(1, 3)).Select(_ => Words[random.Next(Words.Length)])),
                Enumerable.Range(0, random.Next(0, 3)).Select(_ => Groups[random.Next(Groups.Length)]).ToArray())).ToList();
            var asker = Enumerable.Range(0, random.Next(0, 3)).Select(_ => Groups[random.Next(Groups.Length)]).ToArray();
            var query = string.Join(' ', Enumerable.Range(0, random.Next(1, 3)).Select(_ => Words[random.Next(Words.Length)]));
            var top = random.Next(1, 20); // often more than the asker may read
            var options = new RetrievalOptions { AbstainBelow = random.NextDouble() };

            var all = new KnowledgeBase(new WordEmbeddingGenerator(), options);
            await all.AddRangeAsync(documents, TestContext.Current.CancellationToken);
            var askerSet = KnowledgeGroups.ForAsker(asker);
            var readable = documents.Where(d => KnowledgeGroups.ForDocument(d.Groups).Overlaps(askerSet)).ToList();
            var readableOnly = new KnowledgeBase(new WordEmbeddingGenerator(), options);
            await readableOnly.AddRangeAsync(readable, TestContext.Current.CancellationToken);

            var result = await all.SearchAsync(query, asker, top, TestContext.Current.CancellationToken);
            var expected = await readableOnly.SearchAsync(query, asker, top, TestContext.Current.CancellationToken);

            foreignReturned += result.Hits.Count(h => !h.Passage.Groups.Overlaps(askerSet));
            // Non-interference: the foreign passages change nothing — not the hits, their order under ties, their count, the decision.
            result.Hits.Select(h => (h.Passage.Id, h.Score)).ShouldBe(expected.Hits.Select(h => (h.Passage.Id, h.Score)), $"case {cases}");
            result.Hits.Count.ShouldBe(Math.Min(top, readableOnly.Passages.Count), $"case {cases}");
            result.Decision.ShouldBe(expected.Decision, $"case {cases}");
            result.BestScore.ShouldBe(expected.BestScore, $"case {cases}");
        }

        cases.ShouldBe(1000);
        foreignReturned.ShouldBe(0);
    }
}
