using Keel.Knowledge;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Knowledge;

public sealed class PassageSplitterTests
{
    [Fact]
    public void Split_Headings_StartsAPassageAtEachWithItsHeadingPath()
    {
        var passages = PassageSplitter.Split("# Policy\nIntro.\n\n## Refunds\nFive days.\n\n## Bags\nTwo bags.", 1000);

        passages.ShouldBe(["Policy\nIntro.", "Policy > Refunds\nFive days.", "Policy > Bags\nTwo bags."]);
    }

    [Fact]
    public void Split_HashInsideFencedCode_IsNotAHeading()
    {
        var passages = PassageSplitter.Split("# A\n```\n# not a heading\n```", 1000);

        passages.ShouldHaveSingleItem().ShouldContain("# not a heading");
    }

    [Fact]
    public void Split_LongSection_KeepsEveryPassageUnderTheMaximum()
    {
        var text = "# Long\n" + string.Join("\n\n", Enumerable.Range(0, 40).Select(i => $"Paragraph {i} says something about refunds and bags."));

        var passages = PassageSplitter.Split(text, 200);

        passages.Count.ShouldBeGreaterThan(5);
        passages.ShouldAllBe(p => p.Length <= 200 && p.StartsWith("Long\n", StringComparison.Ordinal));
        string.Join(" ", passages).ShouldContain("Paragraph 39");
    }

    [Fact]
    public void Split_OneParagraphLongerThanTheMaximum_CutsAtSentenceEnds()
    {
        var text = string.Join(" ", Enumerable.Range(0, 30).Select(i => $"Sentence number {i} is here."));

        var passages = PassageSplitter.Split(text, 120);

        passages.ShouldAllBe(p => p.Length <= 120 && p.EndsWith('.'));
    }
}
