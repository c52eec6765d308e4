using Keel.Sentiment;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Sentiment;

public sealed class GroundTruthReaderTests
{
    [Fact]
    public void Read_WellFormedLines_ReadsIdMeanTextAndLine()
    {
        var set = GroundTruthReader.Read(new StringReader("1\t2.726315789\tSo lucky.\r\n2\t-1.5\tNot good.\r\n"), "t.txt");

        set.Skipped.ShouldBeEmpty();
        set.Items.ShouldBe([new GroundTruthItem("1", 2.726315789, "So lucky.", 1), new GroundTruthItem("2", -1.5, "Not good.", 2)]);
    }

    [Fact]
    public void Read_TabInsideText_KeepsItInTheText()
    {
        var set = GroundTruthReader.Read(new StringReader("7\t0.5\tleft\tright\n"), "t.txt");

        set.Items.Single().Text.ShouldBe("left\tright");
    }

    [Fact]
    public void Read_BrokenLines_SkipsAndCountsEachWithLineAndReason()
    {
        const string text = "1\t1.0\tfine\n"
            + "\n"
            + "2\t1.0\n"
            + "3\tabc\ttext\n"
            + "4\t9.5\ttext\n"
            + "\t1.0\ttext\n"
            + "6\t1.0\t  \n"
            + "8\t-0.25\talso fine\n";

        var set = GroundTruthReader.Read(new StringReader(text), "gt.txt");

        set.Items.Select(i => i.Id).ShouldBe(["1", "8"]);
        set.Items[1].Line.ShouldBe(8);
        set.Skipped.Select(s => s.ToString()).ShouldBe(
        [
            "gt.txt:2: blank line",
            "gt.txt:3: expected id<TAB>mean<TAB>text, found 2 tab-separated fields",
            "gt.txt:4: mean 'abc' is not a number",
            "gt.txt:5: mean 9.5 is outside the rating scale -4 … +4",
            "gt.txt:6: empty id",
            "gt.txt:7: empty text",
        ]);
    }

    [Fact]
    public void Read_FileOnDisk_NamesTheFileInSkips()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("keel-gt-").FullName, "gt.txt");
        File.WriteAllText(path, "1\t1\tgood\nbroken\n");
        try
        {
            var set = GroundTruthReader.Read(path);

            set.Items.Count.ShouldBe(1);
            set.Skipped.Single().ToString().ShouldBe($"{path}:2: expected id<TAB>mean<TAB>text, found 1 tab-separated field");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void Read_MissingFile_Throws()
    {
        Should.Throw<FileNotFoundException>(() => GroundTruthReader.Read(Path.Combine(Path.GetTempPath(), "keel-no-such-ground-truth.txt")));
    }
}
