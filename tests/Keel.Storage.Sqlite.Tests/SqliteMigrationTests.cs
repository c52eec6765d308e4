using Keel.Audit;
using Keel.Model;
using Keel.Storage.Sqlite.Migrations;
using Keel.Storage.Sqlite.Tests.Support;
using Microsoft.Data.Sqlite;
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
        rows[1].ShouldBe("2|gateway|2025-01-02T03:04:05.0000000Z");
        rows[2].ShouldBe("3|audit_chain|2025-01-02T03:04:05.0000000Z");
        rows[3].ShouldBe("4|live_run_ids|2025-01-02T03:04:05.0000000Z");
        rows[4].ShouldBe("5|versions|2025-01-02T03:04:05.0000000Z");
        rows[5].ShouldBe("6|run_versions|2025-01-02T03:04:05.0000000Z");
        rows[6].ShouldBe("7|run_filters|2025-01-02T03:04:05.0000000Z");
        rows[7].ShouldBe("8|knowledge|2025-01-02T03:04:05.0000000Z");
        rows[8].ShouldBe("9|run_cost|2025-01-02T03:04:05.0000000Z");
        rows.Select(r => int.Parse(r.Split('|')[0], System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(Enumerable.Range(1, rows.Count));
        RawSql.Rows(DbPath, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .ShouldBe(["access_log", "agent_version_files", "agent_versions", "api_keys", "approvals", "audit_ledger", "budget_windows", "decisions", "events", "failures", "findings",
                "idempotency", "knowledge_documents", "knowledge_versions", "live_run_ids", "runs", "schema_migrations", "sqlite_sequence", "version_blobs", "version_history", "workspaces"]);
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
    public async Task VersionFigures_RunStoredBeforeTheCostColumn_ReadsTheRunForItsCost()
    {
        var run = new Run("priced", "ws-a", "agent", "v1", SampleRuns.Start)
        {
            WorkflowClass = "refunds",
            Status = RunStatus.Completed,
            Version = new Keel.Versions.VersionAssignment("h1", Keel.Versions.VersionAssignment.Stable, 3),
        };
        run.Append(new MessageEvent(MessageRole.Assistant, "Refunded.") { Usage = new MessageUsage(12, 0.04m) });
        await using var store = await OpenAsync(s_firstOpen);
        await store.SaveRunAsync(run, Ct);

        // As a row written before migration 9 reads: no cost in the listing.
        RawSql.Execute(DbPath, "UPDATE runs SET cost_usd = NULL");

        (await store.ListRunsAsync("ws-a", 10, Ct)).ShouldHaveSingleItem().CostUsd.ShouldBeNull();
        var figures = await Keel.Versions.VersionFigures.LoadAsync(store, "ws-a", ["h1"], Ct);
        figures["h1"].ShouldHaveSingleItem().CostUsd.ShouldBe(0.04m);
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

    [Fact]
    public async Task OpenAsync_FileFromBeforeTheAuditChain_ChainsItsRunsAndVerifiesIntact()
    {
        WriteSchemaOneFile();

        await using (var store = await OpenAsync(s_firstOpen.AddDays(1)))
        {
            (await store.GetRunAsync("ws-a", "old-1", Ct))!.Events.Count.ShouldBe(3);
        }

        RawSql.Rows(DbPath, "SELECT workspace_id, seq, run_id, commit_kind, first_event_seq, last_event_seq, committed_at FROM audit_ledger ORDER BY workspace_id, seq").ShouldBe(
        [
            "ws-a|1|old-0|migration|1|0|2025-01-03T03:04:05.0000000Z",
            "ws-a|2|old-1|migration|1|3|2025-01-03T03:04:05.0000000Z",
            "ws-b|1|old-2|migration|1|1|2025-01-03T03:04:05.0000000Z",
        ]);
        using var reader = SqliteAuditReader.Open(DbPath);
        var report = reader.Verify();
        report.Problems.ShouldBeEmpty();
        (report.EventsChecked, report.RunsChecked).ShouldBe((4L, 3));
    }

    [Fact]
    public async Task OpenAsync_FileFromBeforeTheAuditChain_LaterTamperingDetected()
    {
        WriteSchemaOneFile();
        await using (await OpenAsync(s_firstOpen.AddDays(1)))
        {
        }

        RawSql.Execute(DbPath, "UPDATE events SET payload_json = replace(payload_json, 'old 2', 'new 2') WHERE run_id = 'old-1' AND seq = 2");
        using var reader = SqliteAuditReader.Open(DbPath);

        var problem = reader.Verify().Problems.ShouldHaveSingleItem();

        (problem.RunId, problem.Sequence, problem.Kind).ShouldBe(("old-1", 2L, AuditProblemKind.Changed));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)] // the gateway tables, still without the chain
    public void SqliteAuditReader_FileFromBeforeTheAuditChain_AsksToMigrate(int version)
    {
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DbPath, Pooling = false }.ToString()))
        {
            connection.Open();
            MigrationRunner.Apply(connection, MigrationCatalog.All.Take(version).ToList(), new FixedTimeProvider(s_firstOpen));
        }

        var ex = Should.Throw<StoreException>(() => SqliteAuditReader.Open(DbPath));

        ex.Message.ShouldContain($"schema version {version}, from before the audit chain");
        RawSql.Count(DbPath, "SELECT count(*) FROM schema_migrations").ShouldBe(version);
    }

    /// <summary>A file as a Keel without the audit chain left it: schema 1, three runs (one without events) in two workspaces.</summary>
    private void WriteSchemaOneFile()
    {
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DbPath, Pooling = false }.ToString()))
        {
            connection.Open();
            MigrationRunner.Apply(connection, [new Migration0001_Initial()], new FixedTimeProvider(s_firstOpen));
        }

        var sql = new System.Text.StringBuilder();
        foreach (var (workspace, run, events) in new[] { ("ws-a", "old-0", 0), ("ws-a", "old-1", 3), ("ws-b", "old-2", 1) })
        {
            sql.Append(System.Globalization.CultureInfo.InvariantCulture, $"INSERT INTO runs VALUES ('{workspace}', '{run}', 'agent', 'v1', 'completed', '2024-05-01T08:00:0{events}.0000000Z', 0, 'api', NULL, {events}, NULL);");
            for (var seq = 1; seq <= events; seq++)
            {
                var e = new MessageEvent(MessageRole.User, $"old {seq}") { Sequence = seq, Timestamp = SampleRuns.Start.AddSeconds(seq) };
                var ts = e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
                sql.Append(System.Globalization.CultureInfo.InvariantCulture, $"INSERT INTO events VALUES ('{workspace}', '{run}', {seq}, 'message', '{ts}', '{RunEventJson.Serialize(e)}');");
            }
        }

        RawSql.Execute(DbPath, sql.ToString());
    }

    private Task<SqliteRunStore> OpenAsync(DateTimeOffset now) =>
        SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = DbPath }, new FixedTimeProvider(now), Ct);
}
