using BenchmarkDotNet.Attributes;
using Keel.Model;
using Keel.Storage.Sqlite;
using Keel.Versions;

namespace Keel.Benchmarks;

/// <summary>
/// The version figures of a versions listing (<c>keel version list</c>, <c>GET /v1/agents/{agent}/versions</c>; docs/versions.md,
/// "Figures"): TSR and CPSR per workflow over the workspace's newest 1,000 runs, on a SQLite file on disk in WAL mode. The runs: 1,000
/// ended runs of two versions and three workflows, 40 message events each (20 customer turns, 20 replies with usage). The yardstick is the
/// way the figures were computed before the listing carried each run's cost: list the runs, then read every run whole and sum its messages.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class VersionFiguresBenchmarks : IAsyncDisposable
{
    private const string Workspace = "ws-bench";
    private static readonly string[] s_hashes = ["h-stable", "h-candidate"];
    private static readonly string[] s_workflows = ["refunds", "exchanges", "address_change"];
    private string _directory = string.Empty;
    private SqliteRunStore _runs = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("keel-figures-bench-").FullName;
        _runs = SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = Path.Combine(_directory, "keel.db") }).GetAwaiter().GetResult();
        var runs = new List<Run>();
        for (var i = 0; i < VersionFigures.RunLimit; i++)
        {
            var start = DateTimeOffset.UnixEpoch.AddMinutes(i);
            var run = new Run($"run-{i:D4}", Workspace, "tau-retail", "v1", start)
            {
                WorkflowClass = s_workflows[i % s_workflows.Length],
                Version = new VersionAssignment(s_hashes[i % 10 == 0 ? 1 : 0], i % 10 == 0 ? VersionAssignment.Candidate : VersionAssignment.Stable, i % 100),
                Status = i % 4 == 0 ? RunStatus.Failed : RunStatus.Completed,
            };
            for (var turn = 0; turn < 20; turn++)
            {
                run.Append(new MessageEvent(MessageRole.User, "I would like to return the blue kettle from order #W2378156.") { Timestamp = start });
                run.Append(new MessageEvent(MessageRole.Assistant, "I can help with that. Which payment method should the refund go to?")
                {
                    Timestamp = start,
                    Usage = new MessageUsage(850, 0.0021m),
                });
            }

            runs.Add(run);
        }

        ((Storage.IRunStore)_runs).SaveRunsAsync(runs).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _runs.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public async Task<int> Yardstick_ReadEveryRunWhole()
    {
        var loaded = new List<Run>();
        foreach (var summary in await _runs.ListRunsAsync(Workspace, VersionFigures.RunLimit))
        {
            loaded.Add((await _runs.GetRunAsync(Workspace, summary.Id))!);
        }

        return VersionFigures.Of(loaded).Count;
    }

    [Benchmark]
    public async Task<int> FiguresFromTheListing() => (await VersionFigures.LoadAsync(_runs, Workspace, s_hashes)).Count;
}
