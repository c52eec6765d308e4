using Keel.Core.Tests.Bundles;
using Keel.Evals;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Evals;

public sealed class EvalSuiteFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-eval-suite-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("tau-bench-airline.json", "tau-bench-airline", 96)]
    [InlineData("tau2-airline.json", "tau2-airline", 9)]
    [InlineData("tau2-retail.json", "tau2-retail", 29)]
    [InlineData("tau2-telecom.json", "tau2-telecom", 17)]
    public async Task ReadAsync_ShippedSuite_LoadsAndEveryRunFileExists(string file, string name, int cases)
    {
        var path = RepoPaths.Sample("evals", file);

        var suite = await EvalSuiteFile.ReadAsync(path, TestContext.Current.CancellationToken);

        suite.Suite.ShouldBe(name);
        suite.Cases.Count.ShouldBe(cases);

        suite.Cases.ShouldAllBe(c => c.Checks.Count > 0 && c.Checks.All(x => EvalChecks.All.Contains(x)));
        suite.Cases.ShouldAllBe(c => c.ExpectedOutcome == EvalOutcomes.Allow || c.ExpectedOutcome == EvalOutcomes.Stop);
        foreach (var runFile in suite.Cases.Select(c => c.RunFile).Distinct())
        {
            File.Exists(Path.Combine(Path.GetDirectoryName(path)!, runFile)).ShouldBeTrue(runFile);
        }
    }

    [Fact]
    public async Task ReadAsync_NoFile_ThrowsFileNotFoundNamingThePath()
    {
        var path = Path.Combine(_dir, "missing.json");

        var ex = await Should.ThrowAsync<FileNotFoundException>(() => EvalSuiteFile.ReadAsync(path, TestContext.Current.CancellationToken));

        ex.Message.ShouldBe($"no eval suite at '{path}'");
        ex.FileName.ShouldBe(path);
    }

    [Fact]
    public async Task ReadAsync_WrongTypeOnLineSeven_NamesTheFileLineAndJsonPath()
    {
        var path = await WriteAsync("""
            {
              "suite": "tiny",
              "cases": [
                {
                  "id": "tau-airline-t0-r0",
                  "run_file": "runs.json",
                  "checks": "unexpected_writes_stopped",
                  "expected_outcome": "stop"
                }
              ]
            }
            """);

        var ex = await Should.ThrowAsync<InvalidDataException>(() => EvalSuiteFile.ReadAsync(path, TestContext.Current.CancellationToken));

        ex.Message.ShouldStartWith($"{path}:7: $.cases[0].checks: not a valid eval suite: ");
    }

    [Fact]
    public async Task ReadAsync_BrokenJson_NamesTheFileAndTheLineOfTheError()
    {
        var path = await WriteAsync("""
            {
              "suite": "tiny",
              "cases": [
                { "id": "a", "run_file": "runs.json" "checks": [] }
              ]
            }
            """);

        var ex = await Should.ThrowAsync<InvalidDataException>(() => EvalSuiteFile.ReadAsync(path, TestContext.Current.CancellationToken));

        ex.Message.ShouldStartWith($"{path}:4: $.cases[0]");
        ex.Message.ShouldContain("not a valid eval suite");
        ex.InnerException.ShouldBeOfType<System.Text.Json.JsonException>();
    }

    [Fact]
    public async Task ReadAsync_CaseWithoutRunFile_NamesTheMissingField()
    {
        var path = await WriteAsync("""
            {
              "suite": "tiny",
              "cases": [
                { "id": "a", "expected_outcome": "allow", "checks": ["expected_writes_allowed"] }
              ]
            }
            """);

        var ex = await Should.ThrowAsync<InvalidDataException>(() => EvalSuiteFile.ReadAsync(path, TestContext.Current.CancellationToken));

        ex.Message.ShouldStartWith($"{path}:4: $.cases[0]");
        ex.Message.ShouldContain("run_file");
    }

    [Fact]
    public async Task ReadAsync_FileHoldingNull_SaysSo()
    {
        var path = await WriteAsync("null");

        var ex = await Should.ThrowAsync<InvalidDataException>(() => EvalSuiteFile.ReadAsync(path, TestContext.Current.CancellationToken));

        ex.Message.ShouldBe($"{path}:1: $: not a valid eval suite: the file holds null.");
    }

    [Fact]
    public async Task ReadAsync_SameCaseIdTwice_NamesTheId()
    {
        var path = await WriteAsync("""
            {
              "suite": "tiny",
              "cases": [
                { "id": "a", "run_file": "runs.json", "expected_outcome": "allow", "checks": ["expected_writes_allowed"] },
                { "id": "a", "run_file": "runs.json", "expected_outcome": "stop", "checks": ["unexpected_writes_stopped"] }
              ]
            }
            """);

        var ex = await Should.ThrowAsync<InvalidDataException>(() => EvalSuiteFile.ReadAsync(path, TestContext.Current.CancellationToken));

        ex.Message.ShouldBe($"{path}: $.cases: the case id 'a' appears 2 times; each run is one case.");
    }

    [Fact]
    public async Task WriteAsync_ThenReadAsync_KeepsEveryField()
    {
        var suite = new EvalSuite
        {
            Suite = "tiny",
            Description = "Keel's test suite: \"quoted\" and ünïcödé",
            GeneratedBy = "keel eval build-suite runs.json --agent samples/tau-airline --out tiny.json",
            Cases =
            [
                new EvalCase { Id = "tau-airline-t28-r0", RunFile = "../runs/tau-bench/gpt-4o-airline.json", Workflow = "airline", TaskId = "28", Reward = 0,
                    ExpectedOutcome = EvalOutcomes.Stop, ExpectedWrites = 1, UnexpectedWrites = 1, Checks = [EvalChecks.ExpectedWritesAllowed, EvalChecks.UnexpectedWritesStopped] },
            ],
        };
        var path = Path.Combine(_dir, "nested", "tiny.json");

        await EvalSuiteFile.WriteAsync(path, suite, TestContext.Current.CancellationToken);
        var read = await EvalSuiteFile.ReadAsync(path, TestContext.Current.CancellationToken);

        var text = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        text.ShouldContain("\"run_file\": \"../runs/tau-bench/gpt-4o-airline.json\"");
        text.ShouldContain("Keel's test suite: \\\"quoted\\\" and ünïcödé");
        text.ShouldEndWith("}\n");
        read.Suite.ShouldBe(suite.Suite);
        read.Description.ShouldBe(suite.Description);
        read.GeneratedBy.ShouldBe(suite.GeneratedBy);
        read.Cases.Single().ShouldBe(suite.Cases.Single() with { Checks = read.Cases.Single().Checks });
        read.Cases.Single().Checks.ShouldBe(suite.Cases.Single().Checks);
    }

    private async Task<string> WriteAsync(string json)
    {
        var path = Path.Combine(_dir, "suite.json");
        await File.WriteAllTextAsync(path, json, TestContext.Current.CancellationToken);
        return path;
    }
}
