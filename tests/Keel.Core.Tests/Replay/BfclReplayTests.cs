using System.Text.Json;
using Keel.Bundles;
using Keel.Core.Tests.Bundles;
using Keel.Replay;
using Keel.Reports;
using Keel.Storage;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Replay;

/// <summary>The shipped BFCL sample (samples/runs/bfcl, glyphh-ada-1.1's results) replayed end to end with samples/bfcl.</summary>
public sealed class BfclReplayTests
{
    private static readonly string Results = RepoPaths.Sample("runs", "bfcl", "model_results", "glyphh-ada-1.1");

    private static readonly Lazy<Task<(ReplayReport Report, InMemoryRunStore Store)>> _replay = new(async () =>
    {
        var store = new InMemoryRunStore();
        var report = await new ReplayJob(AgentBundleLoader.Load(RepoPaths.Sample("bfcl")), store) { Parallelism = 2 }.RunAsync([Results]);
        return (report, store);
    });

    [Fact]
    public async Task RunAsync_ShippedBfclFolder_ReplaysEveryItemOfEveryResultFile()
    {
        var (report, store) = await _replay.Value;

        (report.Metrics.RunsTotal, report.Metrics.RunsReplayed, report.Metrics.RunsSkipped).ShouldBe((1176, 1176, 0));
        report.Skipped.ShouldBeEmpty();
        report.Inputs.Count.ShouldBe(8);
        report.Inputs.ShouldAllBe(i => i.Format == "bfcl" && i.Path.EndsWith("_result.json"));
        report.ByDomain.Select(d => d.Domain).ShouldBe(
            ["irrelevance", "live_parallel", "live_parallel_multiple", "live_simple", "multiple", "parallel", "parallel_multiple", "simple_python"]);
        (await store.ListRunsAsync("default", 2000, TestContext.Current.CancellationToken)).Count.ShouldBe(1176);
    }

    [Fact]
    public async Task RunAsync_ShippedBfclFolder_CallCheckMetricsAreMeasuredAgainstTheLabels()
    {
        var (report, _) = await _replay.Value;

        var m = report.Metrics;
        new[] { m.WrongCallsRecall, m.ValidCallsFlaggedShare, m.WrongCallsPrecision }.ShouldAllBe(s => s != null && s >= 0 && s <= 1);
        var c = report.CallChecks;
        (c.LabelledRuns, c.WrongRuns, c.ValidRuns).ShouldBe((1176, 124, 1052));
        m.WrongCallsRecall.ShouldBe(c.WrongRunsFlagged / 124.0);
        c.ByErrorType.Sum(e => e.Runs).ShouldBe(124);
        c.ByErrorType.Single(e => e.ErrorType == "irrelevance_error:decoder_success").Runs.ShouldBe(27);
        c.ByFindingType.ShouldNotBeEmpty();
        report.ByDomain.Single(d => d.Domain == "irrelevance").Metrics.WrongCallsRecall.ShouldNotBeNull();
    }

    [Fact]
    public async Task RunAsync_ShippedBfclFolder_ReportJsonAndHtmlCarryTheCallChecks()
    {
        var (report, _) = await _replay.Value;

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, ReportJsonContext.Default.ReplayReport));
        var metrics = json.RootElement.GetProperty("metrics");
        foreach (var share in new[] { "wrong_calls_recall", "valid_calls_flagged_share", "wrong_calls_precision" })
        {
            metrics.GetProperty(share).GetDouble().ShouldBeInRange(0, 1, share);
        }

        json.RootElement.EnumerateObject().First().Name.ShouldBe("schema_version");
        var section = json.RootElement.GetProperty("call_checks");
        section.GetProperty("wrong_runs").GetInt32().ShouldBe(124);
        section.GetProperty("by_error_type")[0].GetProperty("error_type").GetString().ShouldBe("irrelevance_error:decoder_success");
        section.GetProperty("by_finding_type")[0].TryGetProperty("finding_type", out _).ShouldBeTrue();
        var html = HtmlReportWriter.Render(report);
        html.ShouldContain("<h2>Malformed calls</h2>");
        html.ShouldContain("irrelevance_error:decoder_success");
        html.ShouldContain("parallel_function_checker_no_order:wrong_count");
    }
}
