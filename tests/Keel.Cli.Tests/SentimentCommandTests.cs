using System.Text.Json;
using Keel.Cli.Commands;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

[Collection(CliSerial.Name)]
public sealed class SentimentCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-sentiment-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Score_FileWithABrokenLine_ScoresTheRestAndNamesTheSkippedLine()
    {
        var file = Path.Combine(_dir, "gt.txt");
        File.WriteAllText(file, "1\t2.5\tVADER is smart, handsome, and funny.\n2\toops\tbroken\n3\t-2.0\tToday SUX!\n4\t0.0\tThe table is in the room.\n");
        using var console = new CapturedConsole();

        var exit = SentimentCommand.Score(file, json: false);

        exit.ShouldBe(ExitCodes.Ok);
        var text = console.Text;
        text.ShouldContain($"{file}: 3 lines scored, 1 skipped");
        text.ShouldContain($"skipped {file}:2: mean 'oops' is not a number");
        text.ShouldContain("Pearson r (compound vs human mean): 0.99");
        text.ShouldContain("accuracy 1.000");
    }

    [Fact]
    public void Score_Json_PrintsParseableFigures()
    {
        var file = Path.Combine(_dir, "gt.txt");
        File.WriteAllText(file, "1\t2.5\tgood\n2\t-2.0\tbad\n3\t1.0\tbad\n");
        using var console = new CapturedConsole();

        var exit = SentimentCommand.Score(file, json: true);

        exit.ShouldBe(ExitCodes.Ok);
        using var document = JsonDocument.Parse(console.Text);
        var root = document.RootElement;
        root.GetProperty("scored").GetInt32().ShouldBe(3);
        root.GetProperty("accuracy").GetDouble().ShouldBe(2 / 3.0, 1e-9);
        root.GetProperty("classes").GetProperty("positive").GetProperty("recall").GetDouble().ShouldBe(0.5);
    }

    [Fact]
    public void Score_MissingFile_ExitsTwoWithAClearError()
    {
        var file = Path.Combine(_dir, "missing.txt");
        using var console = new CapturedConsole();

        var exit = SentimentCommand.Score(file, json: false);

        exit.ShouldBe(ExitCodes.BadInput);
        console.Text.ShouldContain($"error: no such file: {file}");
    }

    [Fact]
    public void Score_NoReadableLine_ExitsTwo()
    {
        var file = Path.Combine(_dir, "gt.txt");
        File.WriteAllText(file, "not a ground truth file\n");
        using var console = new CapturedConsole();

        var exit = SentimentCommand.Score(file, json: false);

        exit.ShouldBe(ExitCodes.BadInput);
        console.Text.ShouldContain("0 lines scored, 1 skipped");
    }

    [Fact]
    public void Text_Sentence_PrintsTheFourScores()
    {
        using var console = new CapturedConsole();

        var exit = SentimentCommand.Text("The book was good.", json: false);

        exit.ShouldBe(ExitCodes.Ok);
        console.Text.ShouldContain("neg 0.000  neu 0.508  pos 0.492  compound 0.4404  (positive)");
    }

    [Fact]
    public void Parse_SentimentScoreThroughTheRootCommand_RunsTheCommand()
    {
        var file = Path.Combine(_dir, "gt.txt");
        File.WriteAllText(file, "1\t2.5\tgood\n");
        using var console = new CapturedConsole();

        var exit = KeelCommand.Create().Parse(["sentiment", "score", file, "--human-threshold", "3"]).Invoke();

        exit.ShouldBe(ExitCodes.Ok);
        console.Text.ShouldContain("human mean >= +3 positive");
    }
}
