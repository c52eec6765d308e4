using Keel.TauTools.Data;
using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Conformance;

/// <summary>
/// Replays the 937 tool calls of the 160 recorded gpt-4o airline runs (samples/runs/tau-bench) against the tool server,
/// each run on a fresh database, and compares every answer with the recorded tool output byte for byte.
/// </summary>
public sealed class AirlineConformanceTests(ITestOutputHelper output)
{
    /// <summary>Measured with samples/tau-airline/db: 840 of 937 recorded outputs equal exactly (docs/tau-tools.md).</summary>
    private const int MeasuredExactMatches = 840;

    [Fact]
    public async Task RecordedRuns_ReplayedOnFreshDatabases_MatchRecordedOutputsExceptKnownDifferences()
    {
        var source = TauDatabaseSource.Load(TauDomain.Airline, RepoPaths.Database(TauDomain.Airline));
        var report = await ConformanceReplay.RunAsync(RepoPaths.AirlineRuns, source, TestContext.Current.CancellationToken);

        var explained = report.Mismatches.GroupBy(m => KnownDifference.Explaining(m)?.Name ?? "unexplained").ToDictionary(g => g.Key, g => g.ToList());
        output.WriteLine($"{report.Runs} runs, {report.Calls} tool calls, {report.Matched} equal the recorded output exactly ({report.MatchRate:P2})");
        foreach (var (name, mismatches) in explained)
        {
            output.WriteLine($"{name}: {mismatches.Count} ({string.Join(", ", mismatches.Select(m => m.ToolName).Distinct())})");
        }

        var unexplained = explained.GetValueOrDefault("unexplained") ?? [];
        unexplained.ShouldBeEmpty(string.Join("\n", unexplained.Take(5).Select(m => $"{m.RunId} call {m.CallIndex} {m.ToolName} {m.Arguments}\nrecorded: {m.Recorded}\nreplayed: {m.Replayed}")));
        report.Runs.ShouldBe(160);
        report.Calls.ShouldBe(937);
        report.Matched.ShouldBeGreaterThanOrEqualTo(MeasuredExactMatches);
    }
}
