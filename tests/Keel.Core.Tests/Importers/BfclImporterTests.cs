using Keel.Importers;
using Keel.Model;
using Keel.Replay;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Importers.ImporterFixtures;

namespace Keel.Core.Tests.Importers;

public sealed class BfclImporterTests : IDisposable
{
    private static readonly string _results = ImporterFixtures.Path("bfcl", "model_results", "glyphh-ada-1.1");
    private static readonly string _simple = System.IO.Path.Combine(_results, "BFCL_v4_simple_python_result.json");
    private static readonly string _edge = ImporterFixtures.Path("bfcl-edge", "model_results", "edge-model", "BFCL_v4_simple_python_result.json");
    private readonly BfclImporter _importer = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-bfcl-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ReadAsync_ResultFile_ReadsOneRunPerLineWithIdDomainModelAndRequest()
    {
        var (runs, diagnostics) = await ReadAsync(_importer, _simple);

        diagnostics.SkippedCount.ShouldBe(0);
        runs.Count.ShouldBe(9);
        runs[0].Id.ShouldBe("bfcl-simple_python_0");
        runs[0].Source.ShouldBe(new RecordSource(_simple, 0));
        runs.ShouldAllBe(r => r.Domain == "simple_python" && r.AgentModel == "glyphh-ada-1.1" && r.StartedAt == new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Shape(runs[0]).ShouldBe("UT");
        Messages(runs[0]).ShouldHaveSingleItem().Content.ShouldBe("Find the area of a triangle with a base of 10 units and height of 5 units.");
        var call = ToolCalls(runs[0]).ShouldHaveSingleItem();
        call.Call.ShouldBe(new ToolCall("simple_python_0-call0", "calculate_triangle_area", """{"base": 10, "height": 5, "unit": "units"}"""));
        call.Result.ShouldBeNull();
        call.Usage.ShouldBe(new ModelUsage(695 + 90, 0m));
    }

    [Fact]
    public async Task ReadAsync_ResultFile_GivesEachRunTheItemsOwnFunctionsAsReadTools()
    {
        var (runs, _) = await ReadAsync(_importer, _simple);

        var tools = runs[0].Tools.ShouldNotBeNull();
        var tool = tools.Tools.ShouldHaveSingleItem();
        tool.Name.ShouldBe("calculate_triangle_area");
        tool.Type.ShouldBe(Keel.Tools.ToolType.Read);
        tool.ParameterNames.ShouldBe(["base", "height", "unit"]);
        tool.Parameters.GetProperty("type").GetString().ShouldBe("object");
        runs[1].Tools.ShouldNotBeNull().Tools.Single().Name.ShouldBe("math.hypot");
    }

    [Fact]
    public async Task ReadAsync_ScoreFile_LabelsListedItemsInvalidWithTheirErrorTypeAndTheRestValid()
    {
        var (runs, _) = await ReadAsync(_importer, _simple);

        var labels = runs.ToDictionary(r => r.Id, r => r.Labels.Calls);
        labels["bfcl-simple_python_0"].ShouldBe(CallLabel.ValidCalls);
        labels["bfcl-simple_python_71"].ShouldBe(CallLabel.ValidCalls);
        labels["bfcl-simple_python_13"].ShouldBe(new CallLabel(false, "type_error:nested"));
        labels["bfcl-simple_python_3"].ShouldBe(new CallLabel(false, "simple_function_checker:missing_required"));
        runs.ShouldAllBe(r => r.Labels.Reward == null && r.Labels.ExpectedActions == null);
        runs[0].Labels.TaskId.ShouldBe("simple_python_0");
    }

    [Fact]
    public async Task ReadAsync_ParallelCalls_SetIndexAndCount()
    {
        var (runs, _) = await ReadAsync(_importer, System.IO.Path.Combine(_results, "BFCL_v4_parallel_result.json"));

        var calls = ToolCalls(runs.ShouldHaveSingleItem());
        calls.Select(c => (c.Call.ToolName, c.Call.ParallelIndex, c.Call.ParallelCount)).ShouldBe(
            [("math.factorial", 0, 3), ("math.factorial", 1, 3), ("math.factorial", 2, 3)]);
        calls.Select(c => c.Call.Id).Distinct().Count().ShouldBe(3);
    }

    [Fact]
    public async Task ReadAsync_NoCall_IsARunWithOnlyTheRequest()
    {
        var (runs, _) = await ReadAsync(_importer, System.IO.Path.Combine(_results, "BFCL_v4_irrelevance_result.json"));

        runs.Select(r => r.Id).ShouldBe(["bfcl-irrelevance_1", "bfcl-irrelevance_4", "bfcl-irrelevance_119"]);
        Shape(runs[0]).ShouldBe("U");
        runs[0].Labels.Calls.ShouldBe(CallLabel.ValidCalls);
        ToolCalls(runs[1]).ShouldHaveSingleItem().Call.ArgumentsJson.ShouldBe("{}");
        runs[1].Labels.Calls.ShouldBe(new CallLabel(false, "irrelevance_error:decoder_success"));
    }

    [Fact]
    public async Task ReadAsync_BrokenLines_AreSkippedWithLineAndJsonPathAndTheOthersRead()
    {
        var (runs, diagnostics) = await ReadAsync(_importer, _edge);

        runs.Select(r => r.Source.Index).ShouldBe([0, 6, 7, 10]);
        var skipped = diagnostics.Skipped.ToList();
        skipped.Select(s => (s.RecordIndex, s.JsonPath)).ShouldBe(
            [(1, "$"), (2, "$.result"), (3, "$.result[0]"), (4, "$.id"), (5, "$.id"), (9, "$.id")]);
        skipped.ShouldAllBe(s => s.File == _edge);
        skipped[0].Message.ShouldContain("not valid JSON");
        skipped[1].Message.ShouldContain("found the number 42");
        skipped[2].Message.ShouldContain("multi-turn BFCL results");
        skipped[3].Message.ShouldContain("no readable item 'simple_python_9999'");
        skipped[3].Message.ShouldContain("cannot be read (first: record 2");
        skipped[4].Message.ShouldContain("BFCL_v4_simple_python.json record 1 at $.function[0].parameters.properties.x.type");
        skipped[4].Message.ShouldContain("unknown BFCL type 'complex'");
        skipped[5].Message.ShouldContain("expected a string, found nothing");
    }

    [Fact]
    public async Task ReadAsync_OtherResultShapes_KeepTextRepliesObjectArgumentsAndUndecodableText()
    {
        var (runs, _) = await ReadAsync(_importer, _edge);

        Shape(runs[1]).ShouldBe("UA");
        Messages(runs[1])[^1].ShouldBe(new RecordedMessage(MessageRole.Assistant, "I cannot help with that."));
        ToolCalls(runs[2]).ShouldHaveSingleItem().Call.ArgumentsJson.ShouldBe("""{"x": 4, "y": 5}""");
        ToolCalls(runs[3]).ShouldHaveSingleItem().Call.ArgumentsJson.ShouldBe("{'x': 4, 'y': 5}");
    }

    [Fact]
    public async Task ReadAsync_BrokenScoreLine_ReportsItAndImportsTheRunsWithoutLabels()
    {
        var path = ImporterFixtures.Path("bfcl-edge", "model_results", "edge-model", "BFCL_v4_multiple_result.json");

        var (runs, diagnostics) = await ReadAsync(_importer, path);

        runs.ShouldHaveSingleItem().Labels.Calls.ShouldBeNull();
        var skipped = diagnostics.Skipped.ShouldHaveSingleItem();
        skipped.File.ShouldEndWith("BFCL_v4_multiple_score_failures.json");
        (skipped.RecordIndex, skipped.JsonPath).ShouldBe((0, "$.valid"));
        skipped.Message.ShouldContain($"the runs of {path} are imported without labels");
    }

    [Fact]
    public async Task ReadAsync_NoQuestionFile_ThrowsNamingTheMissingFileAndWhereItLooked()
    {
        var result = Copy(_simple, "results", "m");

        var error = await Should.ThrowAsync<InvalidDataException>(() => ReadAsync(_importer, result));

        error.Message.ShouldContain("needs its question file BFCL_v4_simple_python.json");
        error.Message.ShouldContain(System.IO.Path.Combine(_dir, "results", "m", "data", "BFCL_v4_simple_python.json"));
    }

    [Fact]
    public async Task ReadAsync_NoScoreFile_ThrowsNamingTheMissingFile()
    {
        var result = Copy(_simple, "results", "m");
        Directory.CreateDirectory(System.IO.Path.Combine(_dir, "data"));
        File.Copy(ImporterFixtures.Path("bfcl", "data", "BFCL_v4_simple_python.json"), System.IO.Path.Combine(_dir, "data", "BFCL_v4_simple_python.json"));

        var error = await Should.ThrowAsync<InvalidDataException>(() => ReadAsync(_importer, result));

        error.Message.ShouldContain("needs its score file BFCL_v4_simple_python_score_failures.json");
    }

    [Fact]
    public async Task ReadAsync_UpstreamLayout_FindsBfclEvalDataAndTheScoreFolderAndSkipsTheSummaryLine()
    {
        var result = Copy(_simple, "result", "m");
        Directory.CreateDirectory(System.IO.Path.Combine(_dir, "bfcl_eval", "data"));
        File.Copy(ImporterFixtures.Path("bfcl", "data", "BFCL_v4_simple_python.json"), System.IO.Path.Combine(_dir, "bfcl_eval", "data", "BFCL_v4_simple_python.json"));
        Directory.CreateDirectory(System.IO.Path.Combine(_dir, "score", "m"));
        var failures = File.ReadAllText(System.IO.Path.Combine(_results, "BFCL_v4_simple_python_score_failures.json"));
        File.WriteAllText(System.IO.Path.Combine(_dir, "score", "m", "BFCL_v4_simple_python_score.json"), "{\"accuracy\": 0.3, \"correct_count\": 2, \"total_count\": 9}\n" + failures);

        var (runs, diagnostics) = await ReadAsync(_importer, result);

        diagnostics.SkippedCount.ShouldBe(0);
        runs.Count(r => r.Labels.Calls is { Valid: false }).ShouldBe(7);
    }

    [Theory]
    [InlineData("BFCL_v4_simple_python_result.json", """{"id": "simple_python_0", "result": []}""", true)]
    [InlineData("BFCL_v3_live_multiple_result.json", """{"id": "x", "result": []}""", true)]
    [InlineData("results.json", """{"id": "simple_python_0", "result": []}""", false)]
    [InlineData("BFCL_v4_simple_python_result.json", """[{"task_id": 1, "traj": []}]""", false)]
    [InlineData("BFCL_v4_simple_python_score_failures.json", """{"id": "simple_python_13", "valid": false}""", false)]
    public void CanRead_NeedsAResultFileNameAndAnIdAndResultLine(string name, string head, bool expected) =>
        _importer.CanRead(System.IO.Path.Combine("x", name), head).ShouldBe(expected);

    [Theory]
    [InlineData("BFCL_v4_simple_python_score_failures.json", true)]
    [InlineData("BFCL_v4_simple_python_score.json", true)]
    [InlineData("BFCL_v4_simple_python.json", true)]
    [InlineData("BFCL_v4_simple_python_result.json", false)]
    [InlineData("gpt-4o-airline.json", false)]
    public void IsCompanionFile_BfclFilesOtherThanResults(string name, bool expected) =>
        _importer.IsCompanionFile(System.IO.Path.Combine("x", name)).ShouldBe(expected);

    [Fact]
    public async Task RunImporters_Folder_ReadsEveryResultFileAndNeitherReadsNorReportsCompanions()
    {
        var importers = RunImporters.Default;
        var diagnostics = new ImportDiagnostics();
        var runs = new List<RecordedRun>();

        await foreach (var run in importers.ReadAsync(_results, diagnostics, TestContext.Current.CancellationToken))
        {
            runs.Add(run);
        }

        diagnostics.SkippedCount.ShouldBe(0);
        runs.Count.ShouldBe(3 + 2 + 1 + 9);
        importers.ResolveRunFiles(_results).Select(System.IO.Path.GetFileName).ShouldBe(
            ["BFCL_v4_irrelevance_result.json", "BFCL_v4_live_simple_result.json", "BFCL_v4_parallel_result.json", "BFCL_v4_simple_python_result.json"]);
        importers.Find(_simple).Format.ShouldBe("bfcl");
    }

    [Fact]
    public void RunImporters_CompanionGivenDirectly_ThrowsNamingTheRunFileToPass()
    {
        var error = Should.Throw<InvalidDataException>(() => RunImporters.Default.Find(System.IO.Path.Combine(_results, "BFCL_v4_simple_python_score_failures.json")));

        error.Message.ShouldContain("companion file of the bfcl format");
        error.Message.ShouldContain("_result.json");
    }

    private string Copy(string file, params string[] folder)
    {
        var target = System.IO.Path.Combine([_dir, .. folder]);
        Directory.CreateDirectory(target);
        var copy = System.IO.Path.Combine(target, System.IO.Path.GetFileName(file));
        File.Copy(file, copy);
        return copy;
    }
}
