using Keel.Storage.Sqlite.Tests.Support;
using Shouldly;

namespace Keel.Storage.Sqlite.Tests;

public sealed class SqliteMigrationTests : IDisposable
{
    private static readonly DateTimeOffset s_firstOpen = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    private string DbPath => _directory.File("keel.db");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task OpenAsync_NewFile_AppliesEveryMigrationOnceInOrder()
    {
        await using (await OpenAsync(s_firstOpen))
        {
        }

        var rows = RawSql.Rows(DbPath, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
        rows[0].ShouldBe("1|initial|2025-01-02T03:04:05.0000000Z");
        rows.Select(r => int.Parse(r.Split('|')[0], System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(Enumerable.Range(1, rows.Count));
        RawSql.Rows(DbPath, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .ShouldBe(["access_log", "api_keys", "approvals", "budget_windows", "decisions", "events", "failures", "findings", "idempotency", "runs",
                "schema_migrations", "sqlite_sequence", "workspaces"]);
    }

    [Fact]
    public async Task OpenAsync_ExistingFile_AppliesNothingAgainAndKeepsData()
    {
        await using (var first = await OpenAsync(s_firstOpen))
        {
            await first.SaveRunAsync(SampleRuns.Full(), Ct);
        }

        var before = RawSql.Rows(DbPath, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
        await using (await OpenAsync(s_firstOpen.AddDays(1)))
        {
        }

        await using var third = await OpenAsync(s_firstOpen.AddDays(2));

        RawSql.Rows(DbPath, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version").ShouldBe(before);
        (await third.GetRunAsync("ws-a", "run-1", Ct)).ShouldNotBeNull();
    }

    [Fact]
    public async Task OpenAsync_TwoStoresOnANewFileAtOnce_BothOpenAndMigrateOnce()
    {
        var stores = await Task.WhenAll(Task.Run(() => OpenAsync(s_firstOpen), Ct), Task.Run(() => OpenAsync(s_firstOpen), Ct));
        try
        {
            await stores[0].SaveRunAsync(SampleRuns.Small("from-0"), Ct);
            await stores[1].SaveRunAsync(SampleRuns.Small("from-1"), Ct);

            (await stores[0].ListRunsAsync("ws-a", cancellationToken: Ct)).Count.ShouldBe(2);
            RawSql.Count(DbPath, "SELECT count(*) FROM schema_migrations WHERE version = 1").ShouldBe(1);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task OpenAsync_NewerSchemaVersion_ThrowsStoreExceptionSayingUpgrade()
    {
        await using (await OpenAsync(s_firstOpen))
        {
        }

        RawSql.Execute(DbPath, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from_the_future', 'x')");

        var ex = await Should.ThrowAsync<StoreException>(() => OpenAsync(s_firstOpen));

        ex.Message.ShouldContain("schema version 999");
        ex.Message.ShouldContain("Upgrade Keel");
    }

    [Fact]
    public async Task OpenAsync_MigrationFails_RollsBackEveryPendingStep()
    {
        // A table of the same name that Keel did not create makes the initial migration fail half-way.
        RawSql.Execute(DbPath, "CREATE TABLE findings (x INTEGER)");

        var ex = await Should.ThrowAsync<StoreException>(() => OpenAsync(s_firstOpen));

        ex.Message.ShouldContain("findings already exists");
        RawSql.Rows(DbPath, "SELECT name FROM sqlite_master WHERE type = 'table'").ShouldBe(["findings"]);
    }

    private Task<SqliteRunStore> OpenAsync(DateTimeOffset now) =>
        SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = DbPath }, new FixedTimeProvider(now), Ct);
}
