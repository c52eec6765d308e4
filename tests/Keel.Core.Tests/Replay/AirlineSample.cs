using Keel.Bundles;
using Keel.Core.Tests.Bundles;
using Keel.Importers;
using Keel.Model;
using Keel.Replay;
using Keel.Reports;
using Keel.Storage;

namespace Keel.Core.Tests.Replay;

/// <summary>The shipped tau-airline bundle and its 160 recorded gpt-4o runs, loaded once for every test that reads them.</summary>
internal static class AirlineSample
{
    private static readonly Lazy<AgentVersion> _agent = new(() => AgentBundleLoader.Load(RepoPaths.AirlineBundle));

    private static readonly Lazy<Task<IReadOnlyDictionary<string, RecordedRun>>> _runs = new(async () =>
    {
        var diagnostics = new ImportDiagnostics();
        var runs = new Dictionary<string, RecordedRun>(StringComparer.Ordinal);
        await foreach (var run in new TauBenchImporter().ReadAsync(RepoPaths.AirlineRuns, diagnostics))
        {
            runs.Add(run.Id, run);
        }

        if (diagnostics.SkippedCount != 0)
        {
            throw new InvalidOperationException("the shipped sample has broken records: " + string.Join("; ", diagnostics.Skipped));
        }

        return runs;
    });

    private static readonly Lazy<Task<ReplayReport>> _report = new(() =>
        new ReplayJob(Agent, new InMemoryRunStore()) { Parallelism = 2 }.RunAsync([RepoPaths.AirlineRuns]));

    public static AgentVersion Agent => _agent.Value;

    /// <summary>The report of replaying every shipped run (computed once).</summary>
    public static Task<ReplayReport> ReportAsync() => _report.Value;

    /// <summary>One recorded run by id, e.g. <c>tau-airline-t41-r0</c> (task 41, trial 0).</summary>
    public static async Task<RecordedRun> RunAsync(string id) => (await _runs.Value)[id];

    /// <summary>Every recorded run.</summary>
    public static async Task<IReadOnlyCollection<RecordedRun>> AllAsync() => [.. (await _runs.Value).Values];
}
