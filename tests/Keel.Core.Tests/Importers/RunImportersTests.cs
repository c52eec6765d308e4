using Keel.Importers;
using Keel.Replay;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Importers;

public sealed class RunImportersTests
{
    private readonly RunImporters _importers = RunImporters.Default;

    [Fact]
    public void Formats_Default_ListsEveryBuiltInFormat() =>
        _importers.Formats.ShouldBe(["tau-bench", "tau2-bench", "agentdojo", "bfcl"]);

    [Theory]
    [InlineData("tau-bench/gpt-4o-airline.json", "tau-bench")]
    [InlineData("tau-bench-edge/truncated.json", "tau-bench")]
    [InlineData("tau2-bench/gpt-4.1_telecom.json", "tau2-bench")]
    [InlineData("tau2-edge/reordered.json", "tau2-bench")]
    public void Find_KnownFile_PicksImporterByHead(string file, string format) =>
        _importers.Find(ImporterFixtures.Path(file.Split('/'))).Format.ShouldBe(format);

    [Fact]
    public void Find_UnknownFile_ThrowsListingKnownFormats()
    {
        var path = ImporterFixtures.Path("unknown", "not-json.json");

        var error = Should.Throw<InvalidDataException>(() => _importers.Find(path));

        error.Message.ShouldContain(path);
        error.Message.ShouldContain("Known formats: tau-bench, tau2-bench, agentdojo, bfcl.");
        _importers.TryFind(path).ShouldBeNull();
    }

    [Fact]
    public void ResolveFiles_Directory_ReturnsJsonFilesInNameOrderWithoutIndexCsv()
    {
        var files = RunImporters.ResolveFiles(ImporterFixtures.Path("tau2-bench"));

        files.Select(Path.GetFileName).ShouldBe(["gpt-4.1_airline.json", "gpt-4.1_retail.json", "gpt-4.1_telecom.json", "toolorchestra_retail.json"]);
        RunImporters.ResolveFiles(ImporterFixtures.Path("tau-bench")).Select(Path.GetFileName).ShouldBe(["gpt-4o-airline.json"]);
    }

    [Fact]
    public void ResolveFiles_MissingPath_ThrowsFileNotFound() =>
        Should.Throw<FileNotFoundException>(() => RunImporters.ResolveFiles(ImporterFixtures.Path("no-such-folder")));

    [Fact]
    public async Task ReadAsync_Directory_ReadsEveryFileInOrder()
    {
        var (runs, diagnostics) = await ReadAllAsync(ImporterFixtures.Path("tau2-bench"));

        diagnostics.SkippedCount.ShouldBe(0);
        runs.Select(r => (Path.GetFileName(r.Source.File), r.Source.Index)).ShouldBe(
        [
            ("gpt-4.1_airline.json", 0), ("gpt-4.1_airline.json", 1), ("gpt-4.1_airline.json", 2),
            ("gpt-4.1_retail.json", 0), ("gpt-4.1_telecom.json", 0), ("toolorchestra_retail.json", 0),
        ]);
    }

    [Fact]
    public async Task ReadAsync_DirectoryWithUnknownFile_ReportsItAndIgnoresIndexCsv()
    {
        var (runs, diagnostics) = await ReadAllAsync(ImporterFixtures.Path("unknown"));

        runs.ShouldBeEmpty();
        var skipped = diagnostics.Skipped.ShouldHaveSingleItem();
        (Path.GetFileName(skipped.File), skipped.RecordIndex, skipped.JsonPath).ShouldBe(("not-json.json", -1, "$"));
        skipped.Message.ShouldContain("Known formats: tau-bench, tau2-bench, agentdojo, bfcl.");
    }

    [Fact]
    public async Task ReadAsync_UnknownFileGivenDirectly_Throws() =>
        await Should.ThrowAsync<InvalidDataException>(() => ReadAllAsync(ImporterFixtures.Path("unknown", "not-json.json")));

    [Fact]
    public void GetByFormat_NameInAnyCase_ReturnsImporterOrListsKnownFormats()
    {
        _importers.GetByFormat("TAU2-BENCH").ShouldBeOfType<Tau2BenchImporter>();

        Should.Throw<ArgumentException>(() => _importers.GetByFormat("langsmith")).Message.ShouldContain("Known formats: tau-bench, tau2-bench, agentdojo, bfcl.");
    }

    [Fact]
    public void Constructor_DuplicateFormatNames_Throws() =>
        Should.Throw<ArgumentException>(() => new RunImporters([new TauBenchImporter(), new TauBenchImporter()]));

    private async Task<(List<RecordedRun> Runs, ImportDiagnostics Diagnostics)> ReadAllAsync(string path)
    {
        var diagnostics = new ImportDiagnostics();
        var runs = new List<RecordedRun>();
        await foreach (var run in _importers.ReadAsync(path, diagnostics, TestContext.Current.CancellationToken))
        {
            runs.Add(run);
        }

        return (runs, diagnostics);
    }
}
