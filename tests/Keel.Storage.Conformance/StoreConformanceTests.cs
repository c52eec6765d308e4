using Microsoft.Extensions.Time.Testing;

namespace Keel.Storage.Conformance;

/// <summary>The base of every conformance class: a fresh database per test (<see cref="CreateBackendAsync"/>), a first store instance on it
/// (<see cref="Store"/>) and, for tests of what must hold across processes, more instances on the same database (<see cref="OpenInstanceAsync"/>).</summary>
public abstract class StoreConformanceTests : IAsyncLifetime
{
    private IStoreBackend? _backend;
    private readonly List<StoreInstance> _opened = [];
    private StoreInstance? _store;

    /// <summary>The clock of every instance, starting at 2026-11-21 10:00 UTC; tests move it by hand.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));

    protected StoreInstance Store => _store ?? throw new InvalidOperationException("The store is opened in InitializeAsync.");

    protected IStoreBackend Backend => _backend ?? throw new InvalidOperationException("The backend is created in InitializeAsync.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public virtual async ValueTask InitializeAsync()
    {
        _backend = await CreateBackendAsync();
        _store = await OpenInstanceAsync();
    }

    /// <summary>Opens another instance of the stores on the test's database, as another server process would.</summary>
    protected async Task<StoreInstance> OpenInstanceAsync()
    {
        var instance = await Backend.OpenAsync(Time);
        lock (_opened)
        {
            _opened.Add(instance);
        }

        return instance;
    }

    /// <summary>Runs <paramref name="count"/> calls at once: each on its own task, all released together by one gate, so they meet in the
    /// store instead of arriving one after another.</summary>
    protected static async Task<T[]> RaceAsync<T>(int count, Func<int, Task<T>> call)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            return await call(i);
        }, Ct)).ToArray();
        await Task.Delay(50, Ct);
        gate.SetResult();
        return await Task.WhenAll(tasks);
    }

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var instance in _opened)
        {
            await instance.DisposeAsync();
        }

        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Creates an empty database of the backend for one test.</summary>
    protected abstract Task<IStoreBackend> CreateBackendAsync();
}
