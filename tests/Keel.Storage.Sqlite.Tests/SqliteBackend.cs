using Keel.Storage.Conformance;
using Keel.Storage.Sqlite.Gateway;
using Keel.Storage.Sqlite.Tests.Support;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>A fresh SQLite file in a temp directory per test; each instance opens its own connections to it, as another process would.</summary>
internal sealed class SqliteBackend : IStoreBackend
{
    private readonly TempDirectory _directory = new();

    public string Path => _directory.File("keel.db");

    public static Task<IStoreBackend> CreateAsync() => Task.FromResult<IStoreBackend>(new SqliteBackend());

    public async Task<StoreInstance> OpenAsync(TimeProvider time)
    {
        var options = new SqliteRunStoreOptions { Path = Path };
        return new StoreInstance(await SqliteRunStore.OpenAsync(options, time), new SqliteGatewayStore(options, time), new Otlp.SqliteSpanBuffer(Path + ".spans"));
    }

    public Task ExecuteSqlAsync(string sql)
    {
        RawSql.Execute(Path, sql);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
