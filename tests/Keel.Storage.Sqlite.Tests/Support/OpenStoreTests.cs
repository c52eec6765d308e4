namespace Keel.Storage.Sqlite.Tests.Support;

/// <summary>Tests over one <see cref="SqliteRunStore"/> opened on a fresh file in a temp folder before each test, closed and deleted
/// after it.</summary>
public abstract class OpenStoreTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private SqliteRunStore? _store;

    /// <summary>The test's cancellation token.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The database file.</summary>
    protected string DbPath => _directory.File("keel.db");

    /// <summary>The open store.</summary>
    protected SqliteRunStore Store => _store ?? throw new InvalidOperationException("the store opens in InitializeAsync");

    /// <inheritdoc />
    public async ValueTask InitializeAsync() =>
        _store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = DbPath }, cancellationToken: Ct);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _directory.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Makes SQLite refuse the matching rows of a table, the way an operator's trigger or a damaged schema would.</summary>
    /// <param name="table">The table.</param>
    /// <param name="when">The trigger's condition on <c>NEW</c>.</param>
    protected void RefuseRowsOf(string table, string when) =>
        RawSql.Execute(DbPath, $"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} WHEN {when} BEGIN SELECT RAISE(ABORT, 'refused by test'); END;");
}
