using Keel.Importers;
using Keel.Model;
using Keel.Replay;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Importers;

/// <summary>Imports the full shared tau-bench and tau2-bench run files and checks them against the curator's index.csv; skipped where the data is absent.</summary>
public sealed class SharedDataImportTests
{
    private const string SharedData = "/work/shared/data";

    [Fact]
    public async Task ReadAsync_AllTauBenchRuns_ImportWithoutSkipsAndMatchIndexCounts()
    {
        var folder = RequireFolder("tau-bench/trajectories");
        var index = ReadIndex(Path.Combine(folder, "index.csv"), row => $"tau-airline-t{row["task_id"]}-r{row["trial"]}");

        var (runs, diagnostics) = await ReadAllAsync(folder);

        diagnostics.Skipped.ShouldBeEmpty();
        runs.Count.ShouldBe(160);
        runs.Select(r => r.Id).Distinct().Count().ShouldBe(160);
        foreach (var run in runs)
        {
            var row = index[run.Id];
            var calls = run.Steps.OfType<RecordedToolCall>().ToArray();
            calls.Length.ShouldBe(int.Parse(row["n_tool_calls"], System.Globalization.CultureInfo.InvariantCulture), run.Id);
            calls.Count(c => c.Result?.Status == ToolResultStatus.Error).ShouldBe(int.Parse(row["n_tool_errors"], System.Globalization.CultureInfo.InvariantCulture), run.Id);
            string.Join(' ', calls.Select(c => c.Call.ToolName)).ShouldBe(row["agent_tool_calls"], run.Id);
            calls.ShouldAllBe(c => c.Result != null);
        }
    }

    [Fact]
    public async Task ReadAsync_AllTau2BenchRuns_ImportWithoutSkipsAndMatchIndexCounts()
    {
        var folder = RequireFolder("tau2-bench/trajectories");
        var index = ReadIndex(Path.Combine(folder, "index.csv"), row => row["sim_id"]);

        var (runs, diagnostics) = await ReadAllAsync(folder);

        diagnostics.Skipped.ShouldBeEmpty();
        runs.Count.ShouldBe(333);
        runs.Select(r => r.Id).ShouldBe(index.Keys, ignoreOrder: true);
        foreach (var run in runs)
        {
            var row = index[run.Id];
            var calls = run.Steps.OfType<RecordedToolCall>().ToArray();
            calls.Count(c => c.Requestor == "assistant").ShouldBe(Int(row["n_agent_tool_calls"]), run.Id);
            calls.Count(c => c.Requestor == "user").ShouldBe(Int(row["n_user_tool_calls"]), run.Id);
            calls.Count(c => c.Result?.Status == ToolResultStatus.Error).ShouldBe(Int(row["n_tool_errors"]), run.Id);
            run.Labels.Reward.ShouldBe(double.Parse(row["reward"], System.Globalization.CultureInfo.InvariantCulture), run.Id);
            run.Labels.TerminationReason.ShouldBe(row["termination_reason"], run.Id);
            run.Domain.ShouldBe(row["domain"], run.Id);
            // index.csv takes expected actions from the task the run's task_id names; the ToolOrchestra files point at other
            // tasks, and there the importer follows the grader's own action checks instead.
            if (!row["file"].StartsWith("toolorchestra", StringComparison.Ordinal))
            {
                string.Join(' ', run.Labels.ExpectedActions.ShouldNotBeNull(run.Id).Select(a => a.ToolName)).ShouldBe(row["expected_actions"], run.Id);
            }
            string.Join(' ', calls.Where(c => c.Requestor == "assistant").Select(c => c.Call.ToolName)).ShouldBe(row["agent_tool_calls"], run.Id);
            calls.ShouldAllBe(c => c.Result != null);
        }
    }

    [Fact]
    public async Task ReadAsync_AllBfclResults_LabelsMatchTheCuratorsLabelsCsv()
    {
        var folder = RequireFolder("bfcl/model_results/glyphh-ada-1.1");
        var labels = ReadIndex(Path.Combine(folder, "labels.csv"), row => "bfcl-" + row["id"]);

        var (runs, diagnostics) = await ReadAllAsync(folder);

        diagnostics.Skipped.ShouldBeEmpty();
        runs.Count.ShouldBe(labels.Count);
        foreach (var run in runs)
        {
            var row = labels[run.Id];
            run.Domain.ShouldBe(row["category"], run.Id);
            run.Labels.Calls.ShouldBe(row["valid"] == "1" ? CallLabel.ValidCalls : new CallLabel(false, row["error_type"]), run.Id);
        }
    }

    private static string RequireFolder(string relative)
    {
        var folder = Path.Combine(SharedData, relative);
        Assert.SkipUnless(Directory.Exists(folder), $"{folder} is not present on this machine");
        return folder;
    }

    private static int Int(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    // The curator's index.csv files contain no quoted fields, so a plain split is exact; a quote would fail the test.
    private static Dictionary<string, Dictionary<string, string>> ReadIndex(string path, Func<Dictionary<string, string>, string> key)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var rows = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            line.ShouldNotContain('"');
            var cells = line.Split(',');
            cells.Length.ShouldBe(header.Length, line);
            var row = header.Zip(cells).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
            rows.Add(key(row), row);
        }

        return rows;
    }

    private static async Task<(List<RecordedRun> Runs, ImportDiagnostics Diagnostics)> ReadAllAsync(string folder)
    {
        var diagnostics = new ImportDiagnostics();
        var runs = new List<RecordedRun>();
        await foreach (var run in RunImporters.Default.ReadAsync(folder, diagnostics, TestContext.Current.CancellationToken))
        {
            runs.Add(run);
        }

        return (runs, diagnostics);
    }
}
