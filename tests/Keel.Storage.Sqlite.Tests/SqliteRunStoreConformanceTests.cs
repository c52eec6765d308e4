using Keel.Storage.Sqlite.Tests.Conformance;
using Keel.Storage.Sqlite.Tests.Support;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>The shared store behaviour, on a real SQLite file in a fresh temp directory per test.</summary>
public sealed class SqliteRunStoreConformanceTests : RunStoreConformanceTests
{
    private readonly TempDirectory _directory = new();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    protected override async Task<IRunStore> CreateStoreAsync() =>
        await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = _directory.File("keel.db") }, cancellationToken: Ct);
}
