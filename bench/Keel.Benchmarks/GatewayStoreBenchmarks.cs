using BenchmarkDotNet.Attributes;
using Keel.Storage.Sqlite;
using Keel.Storage.Sqlite.Gateway;
using Keel.Tenancy;

namespace Keel.Benchmarks;

/// <summary>
/// The SQLite store round trips of one live tool call besides its commit (docs/gateway-overhead.md, "Where a call's time goes"):
/// the API key check (<see cref="SqliteGatewayStore.AuthenticateAsync"/>, a point read and a SHA-256), the idempotency claim
/// (<see cref="SqliteGatewayStore.ClaimAsync"/>, a write transaction) and the run's head check
/// (<see cref="SqliteRunStore.GetHeadSequenceAsync"/>, a point read), on a file on disk in WAL mode, one caller at a time.
/// The yardstick is SHA-256 of the presented key alone.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class GatewayStoreBenchmarks : IAsyncDisposable
{
    private string _directory = string.Empty;
    private SqliteRunStore _runs = null!;
    private SqliteGatewayStore _gateway = null!;
    private string _key = string.Empty;
    private long _claims;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("keel-gateway-bench-").FullName;
        _runs = SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = Path.Combine(_directory, "keel.db") }).GetAwaiter().GetResult();
        _gateway = new SqliteGatewayStore(_runs, TimeProvider.System);
        _gateway.CreateWorkspaceAsync(new Model.Workspace("ws-bench", "bench"), KeelRole.Admin).GetAwaiter().GetResult();
        _key = _gateway.CreateKeyAsync("ws-bench", "agent", KeelRole.Agent, "tau-airline").GetAwaiter().GetResult().Key;
        var run = new Model.Run("bench-run", "ws-bench", "tau-airline", "v1", DateTimeOffset.UnixEpoch, "api");
        run.Append(new Model.MessageEvent(Model.MessageRole.User, "hello") { Timestamp = DateTimeOffset.UnixEpoch });
        _runs.TryCreateRunAsync(run).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _runs.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public string Yardstick_Sha256OfTheKey() => ApiKeySecret.Hash(_key);

    [Benchmark]
    public Task<ApiKey?> AuthenticateKey() => _gateway.AuthenticateAsync(_key);

    [Benchmark]
    public Task<Storage.IdempotencyClaim> ClaimIdempotencyKey() =>
        _gateway.ClaimAsync("ws-bench", "key", $"idem-{Interlocked.Increment(ref _claims)}", "sha", TimeSpan.FromMinutes(5));

    [Benchmark]
    public Task<long?> RunHeadCheck() => _runs.GetHeadSequenceAsync("ws-bench", "bench-run");
}
