using Keel.Audit;

namespace Keel.Storage.Conformance;

/// <summary>One database of a storage backend under test, fresh for one test: it opens store instances on that database — each
/// as a separate server process would — and lets a test change rows behind the stores' back, as an attacker or an operator would.</summary>
public interface IStoreBackend : IAsyncDisposable
{
    /// <summary>Opens a new instance of the backend's stores on this database (own connections or pool, as another process).</summary>
    /// <param name="time">The clock of the instance.</param>
    /// <returns>The instance; the caller disposes it before the backend.</returns>
    Task<StoreInstance> OpenAsync(TimeProvider time);

    /// <summary>Runs SQL on the database outside the stores. Both backends share table and column names, so one statement serves both.</summary>
    /// <param name="sql">The statement.</param>
    /// <returns>A task that completes when it ran.</returns>
    Task ExecuteSqlAsync(string sql);
}

/// <summary>A backend's stores as one process holds them: the run store (also the audit log and the live path's port), the gateway store
/// and the OTLP span buffer.</summary>
/// <param name="Runs">The run store.</param>
/// <param name="Gateway">The gateway store.</param>
/// <param name="Spans">The span buffer; <see langword="null"/> for a backend without one.</param>
public sealed record StoreInstance(IRunStore Runs, IGatewayStore Gateway, ISpanBuffer? Spans = null) : IAsyncDisposable
{
    /// <summary>The audit log of the run store.</summary>
    public IAuditLog Audit => (IAuditLog)Runs;

    /// <summary>The live path's port of the run store.</summary>
    public ILiveRunStore Live => (ILiveRunStore)Runs;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Runs is IAsyncDisposable runs)
        {
            await runs.DisposeAsync();
        }

        if (Gateway is IAsyncDisposable gateway)
        {
            await gateway.DisposeAsync();
        }

        switch (Spans)
        {
            case IAsyncDisposable spans:
                await spans.DisposeAsync();
                break;
            case IDisposable spans:
                spans.Dispose();
                break;
        }
    }
}
