using BenchmarkDotNet.Attributes;
using Keel.Model;
using Keel.Storage;
using Keel.Storage.Sqlite;

namespace Keel.Benchmarks;

/// <summary>
/// Group commit of the live path on SQLite (docs/gateway-overhead.md, "Group commit"): <see cref="Callers"/> concurrent callers
/// append one message each to their own live runs, 1,024 appends per invocation over 64 runs (16 per run, each appended in
/// turn), through <see cref="SqliteRunStore.CommitAsync"/> (requests queued behind a busy connection share one transaction) and,
/// as the yardstick of the same run, through <see cref="SqliteRunStore.AppendAsync"/> (one transaction per request, the same rows
/// without the head check). Figures are per append; the store is a file on disk in WAL mode with <c>synchronous=NORMAL</c>.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[InvocationCount(1)]
public class LiveCommitBenchmarks
{
    private const int RunCount = 64;
    private const int AppendsPerRun = 16;
    private const int Appends = RunCount * AppendsPerRun;

    private string _directory = string.Empty;
    private SqliteRunStore _store = null!;
    private Run[] _runs = [];
    private int _iteration;

    /// <summary>Concurrent callers, each with its share of the 64 runs.</summary>
    [Params(1, 8, 32)]
    public int Callers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("keel-commit-bench-").FullName;
        _store = SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = Path.Combine(_directory, "keel.db") }).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [IterationSetup]
    public void CreateRuns()
    {
        _iteration++;
        var start = DateTimeOffset.UnixEpoch.AddDays(_iteration);
        _runs = [.. Enumerable.Range(0, RunCount).Select(i => new Run($"bench-{_iteration}-{i}", "ws-bench", "agent", "v1", start, "api"))];
        foreach (var run in _runs)
        {
            run.Append(new MessageEvent(MessageRole.User, "I would like to change my flight to the morning one, please.") { Timestamp = start });
            _store.TryCreateRunAsync(run).GetAwaiter().GetResult();
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Appends)]
    public Task TransactionPerRequest() => Drive(run => _store.AppendAsync(run));

    [Benchmark(OperationsPerInvoke = Appends)]
    public Task GroupCommit() => Drive(async run =>
    {
        if (await _store.CommitAsync(new RunCommit(run, run.Events.Count - 1)) != RunCommitStatus.Committed)
        {
            throw new InvalidOperationException($"run {run.Id}: the commit conflicted");
        }
    });

    private Task Drive(Func<Run, Task> commit) => Task.WhenAll(Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
    {
        var mine = _runs.Where((_, i) => i % Callers == caller).ToArray();
        for (var turn = 0; turn < AppendsPerRun; turn++)
        {
            foreach (var run in mine)
            {
                run.Append(new MessageEvent(turn % 2 == 0 ? MessageRole.Assistant : MessageRole.User, $"turn {turn}: the reservation is updated and the fare difference is refunded to your card.")
                {
                    Timestamp = run.StartedAt.AddSeconds(turn + 1),
                });
                await commit(run);
            }
        }
    })));
}
