using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Core.Tests.Bundles;
using Keel.Model;
using Keel.Replay;
using Keel.Reports;
using Keel.Storage;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Replay;

public sealed class ReplayJobTests : IDisposable
{
    private static readonly DateTimeOffset ReportTime = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly string _dir = Directory.CreateTempSubdirectory("keel-replay-job-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<ReplayReport> RunAsync(IRunStore store, params string[] inputs) =>
        new ReplayJob(AirlineSample.Agent, store, new FixedClock(ReportTime)) { Parallelism = 2 }.RunAsync(inputs, cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public async Task RunAsync_ShippedSample_ReplaysAndStoresEveryRun()
    {
        var store = new InMemoryRunStore();
        var progress = new List<ReplayProgress>();

        var report = await new ReplayJob(AirlineSample.Agent, store, new FixedClock(ReportTime)) { Parallelism = 2 }
            .RunAsync([RepoPaths.AirlineRuns], new SynchronousProgress(progress.Add), TestContext.Current.CancellationToken);

        var m = report.Metrics;
        (m.RunsTotal, m.RunsReplayed, m.RunsSkipped).ShouldBe((160, 160, 0));
        m.OutcomeLabelledRuns.ShouldBe(160);
        new[] { m.OutcomeAgreement, m.UnsafeWritesHeldShare, m.ExpectedWritesHeldShare }.ShouldAllBe(s => s != null && s >= 0 && s <= 1);
        m.UnsafeWritesHeld.ShouldBeLessThanOrEqualTo(m.UnsafeWrites);
        m.ExpectedWritesHeld.ShouldBeLessThanOrEqualTo(m.ExpectedWrites);
        (m.ExpectedWrites + m.UnsafeWrites).ShouldBe(m.SuccessfulWrites);
        m.Decisions.Values.Sum().ShouldBe(m.ToolCalls);
        report.GeneratedAt.ShouldBe(ReportTime);
        report.Inputs.ShouldHaveSingleItem().ShouldBe(new ReportInput(RepoPaths.AirlineRuns, "tau-bench", 160, 0));
        report.ByDomain.ShouldHaveSingleItem().Domain.ShouldBe("airline");
        report.Skipped.ShouldBeEmpty();
        (await store.ListRunsAsync("default", 1000, TestContext.Current.CancellationToken)).Count.ShouldBe(160);
        var stored = (await store.GetRunAsync("default", "tau-airline-t41-r0", TestContext.Current.CancellationToken)).ShouldNotBeNull();
        stored.Events.OfType<DecisionEvent>().ShouldContain(d => d.Decision.RuleId == "airline.cancel.eligibility");
        progress[^1].ShouldBe(new ReplayProgress(160, 160, true));
        progress.Select(p => p.Stored).ShouldBeInOrder(SortDirection.Ascending);
        progress.Select(p => p.Stored).Distinct().Count().ShouldBe(progress.Count);
    }

    [Fact]
    public async Task RunAsync_ShippedSample_ReportJsonHasSnakeCaseMetrics()
    {
        var report = await AirlineSample.ReportAsync();

        var json = JsonSerializer.Serialize(report, ReportJsonContext.Default.ReplayReport);

        using var doc = JsonDocument.Parse(json);
        var metrics = doc.RootElement.GetProperty("metrics");
        metrics.GetProperty("runs_total").GetInt32().ShouldBe(160);
        metrics.GetProperty("runs_skipped").GetInt32().ShouldBe(0);
        foreach (var share in new[] { "outcome_agreement", "unsafe_writes_held_share", "expected_writes_held_share" })
        {
            metrics.GetProperty(share).GetDouble().ShouldBeInRange(0, 1, share);
        }

        doc.RootElement.GetProperty("schema_version").GetInt32().ShouldBe(1);
        doc.RootElement.GetProperty("agent").GetProperty("policy_version").GetString().ShouldBe("2024-05-15.1");
        doc.RootElement.GetProperty("by_domain")[0].GetProperty("metrics").GetProperty("runs_replayed").GetInt32().ShouldBe(160);
        json.ShouldNotContain("RunsTotal");
        json.ShouldNotContain("\"unsafeWritesHeldShare\"");
    }

    [Fact]
    public async Task RunAsync_FileWithOneBrokenRecord_SkipsAndCountsItAndReplaysTheOthers()
    {
        var records = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.AirlineRuns, TestContext.Current.CancellationToken))!.AsArray();
        var three = new JsonArray(records[0]!.DeepClone(), records[1]!.DeepClone(), records[2]!.DeepClone());
        three[1]!["traj"] = "not a list of messages";
        var file = Path.Combine(_dir, "gpt-4o-airline.json");
        await File.WriteAllTextAsync(file, three.ToJsonString(), TestContext.Current.CancellationToken);
        var store = new InMemoryRunStore();

        var report = await RunAsync(store, file);

        (report.Metrics.RunsTotal, report.Metrics.RunsReplayed, report.Metrics.RunsSkipped).ShouldBe((3, 2, 1));
        var skipped = report.Skipped.ShouldHaveSingleItem();
        skipped.File.ShouldBe(file);
        skipped.RecordIndex.ShouldBe(1);
        skipped.JsonPath.ShouldBe("$[1].traj");
        report.Inputs.ShouldHaveSingleItem().ShouldBe(new ReportInput(file, "tau-bench", 2, 1));
        (await store.ListRunsAsync("default", 10, TestContext.Current.CancellationToken)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task RunAsync_FolderWithAFileInNoKnownFormat_SkipsTheFileAndReplaysTheRest()
    {
        var records = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.AirlineRuns, TestContext.Current.CancellationToken))!.AsArray();
        await File.WriteAllTextAsync(Path.Combine(_dir, "gpt-4o-airline.json"), new JsonArray(records[0]!.DeepClone()).ToJsonString(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_dir, "notes.json"), """{"hello": "world"}""", TestContext.Current.CancellationToken);

        var report = await RunAsync(new InMemoryRunStore(), _dir);

        report.Metrics.RunsReplayed.ShouldBe(1);
        report.Skipped.ShouldHaveSingleItem().File.ShouldBe(Path.Combine(_dir, "notes.json"));
    }

    [Fact]
    public async Task RunAsync_InputThatDoesNotExist_Throws()
    {
        var missing = Path.Combine(_dir, "nope.json");

        await Should.ThrowAsync<FileNotFoundException>(() => RunAsync(new InMemoryRunStore(), missing));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class SynchronousProgress(Action<ReplayProgress> report) : IProgress<ReplayProgress>
    {
        public void Report(ReplayProgress value) => report(value);
    }
}
