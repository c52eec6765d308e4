using Keel.Knowledge;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Knowledge;

public sealed class KnowledgeLoaderTests
{
    [Fact]
    public void Parse_FrontMatterWithGroups_ReadsGroupsAndBody()
    {
        var (document, error) = KnowledgeLoader.Parse("---\ngroups: [support, billing]\n---\n# Refunds\nText.", "a.md", "a.md");

        error.ShouldBeNull();
        document!.Groups.ShouldBe(["support", "billing"]);
        document.Text.ShouldBe("# Refunds\nText.");
        document.Id.ShouldBe("a.md");
    }

    [Fact]
    public void Parse_NoFrontMatter_HasNoGroupsSoEveryoneReads()
    {
        var (document, _) = KnowledgeLoader.Parse("# Policy\nText.", "a.md", "a.md");

        KnowledgeGroups.ForDocument(document!.Groups).ShouldBe([KnowledgeGroups.Everyone]);
    }

    [Fact]
    public void Parse_UnclosedFrontMatter_ReportsLineOne()
    {
        var (document, error) = KnowledgeLoader.Parse("---\ngroups: [support]\n# Policy", "a.md", "a.md");

        document.ShouldBeNull();
        error!.ToString().ShouldStartWith("a.md:1: front matter opened with '---' is never closed");
    }

    [Fact]
    public void Parse_MisspeltGroupsKey_ReportsTheKeyAndItsLine()
    {
        var (document, error) = KnowledgeLoader.Parse("---\nid: refunds\ngroup: [billing]\n---\nText", "a.md", "a.md");

        document.ShouldBeNull();
        error!.Line.ShouldBe(3);
        error.Message.ShouldContain("unknown front matter key 'group'");
    }

    [Fact]
    public void Parse_InvalidYaml_ReportsTheFileLine()
    {
        var (document, error) = KnowledgeLoader.Parse("---\nid: x\ngroups: [support\n---\nText", "a.md", "a.md");

        document.ShouldBeNull();
        error!.Line.ShouldBeGreaterThanOrEqualTo(3);
        error.Message.ShouldContain("not valid YAML");
    }

    [Fact]
    public void Parse_GroupEntryIsAMapping_ReportsItsLine()
    {
        var (_, error) = KnowledgeLoader.Parse("---\ngroups:\n  - support\n  - {name: billing}\n---\nText", "a.md", "a.md");

        error!.Line.ShouldBe(4);
        error.Message.ShouldContain("each entry of 'groups'");
    }

    [Fact]
    public void Load_FolderWithOneBrokenFile_LoadsTheOthersAndCountsTheSkip()
    {
        var folder = Directory.CreateTempSubdirectory("keel-kb-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "billing"));
            File.WriteAllText(Path.Combine(folder, "public.md"), "# Bags\nTwo bags.");
            File.WriteAllText(Path.Combine(folder, "billing", "refunds.txt"), "---\ngroups: billing\n---\nRefunds take 5 days.");
            File.WriteAllText(Path.Combine(folder, "broken.md"), "---\ngroups: [x\n");
            File.WriteAllText(Path.Combine(folder, "notes.json"), "{}");

            var result = KnowledgeLoader.Load(folder);

            result.Documents.Select(d => d.Id).ShouldBe(["billing/refunds.txt", "public.md"]);
            result.Documents[0].Groups.ShouldBe(["billing"]);
            result.Errors.ShouldHaveSingleItem().File.ShouldEndWith("broken.md");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Load_MissingPath_ThrowsFileNotFound()
    {
        Should.Throw<FileNotFoundException>(() => KnowledgeLoader.Load(Path.Combine(Path.GetTempPath(), "keel-no-such-kb")));
    }
}
