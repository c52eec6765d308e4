using System.Net;
using System.Net.Sockets;
using Keel.Approvals;
using Keel.Storage.Conformance.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;

namespace Keel.Storage.Postgres.Tests;

/// <summary>What only the PostgreSQL store has: its migrations, its connection settings and errors, the composition and the read-only audit reader.</summary>
public sealed class PostgresStoreTests(PostgresCluster cluster) : IAsyncLifetime
{
    private string _connectionString = string.Empty;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _connectionString = await cluster.CreateDatabaseAsync();

    public async ValueTask DisposeAsync() => await cluster.DropDatabaseAsync(_connectionString);

    [Fact]
    public async Task OpenAsync_NewDatabase_RecordsEachMigrationOnce()
    {
        await using (await OpenAsync())
        {
        }

        await using (await OpenAsync())
        {
        }

        (await RowsAsync("SELECT version || '|' || name FROM schema_migrations ORDER BY version")).ShouldBe(["1|runs", "2|gateway", "3|otlp span buffer", "4|versions", "5|run versions", "6|run_filters", "7|knowledge", "8|run_cost"]);
    }

    [Fact]
    public async Task OpenAsync_EightInstancesStartingTogether_MigrateOnceAndAllOpen()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(OpenAsync, Ct)));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        (await RowsAsync("SELECT count(*)::text FROM schema_migrations")).ShouldBe([Migrations.MigrationCatalog.Latest.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
    }

    [Fact]
    public async Task OpenAsync_NewerSchema_ThrowsStoreExceptionNamingTheVersion()
    {
        await using (await OpenAsync())
        {
        }

        await RowsAsync("INSERT INTO schema_migrations VALUES (99, 'future', 'x') RETURNING name");

        var ex = await Should.ThrowAsync<StoreException>(OpenAsync);
        ex.Message.ShouldContain($"schema version 99, newer than the {Migrations.MigrationCatalog.Latest} this Keel knows");
    }

    [Theory]
    [InlineData("")]
    [InlineData("Password=hunter2;Database=keel")]
    [InlineData("Host=127.0.0.1;Password=hunter2;Bogus Keyword=1")]
    public void Validate_BadConnectionString_NamesTheSettingNeverThePassword(string connectionString)
    {
        var ex = Should.Throw<ArgumentException>(() => new PostgresStoreOptions { ConnectionString = connectionString }.Validate());

        ex.Message.ShouldContain("PostgresStoreOptions.ConnectionString");
        ex.Message.ShouldNotContain("hunter2");
    }

    [Fact]
    public async Task OpenAsync_NothingListening_StoreExceptionNamesTheServerNotThePassword()
    {
        var options = new PostgresStoreOptions { ConnectionString = $"Host=127.0.0.1;Port={ClosedPort()};Username=keel;Password=hunter2;Database=keel;Timeout=3" };

        var ex = await Should.ThrowAsync<StoreException>(() => PostgresRunStore.OpenAsync(options, cancellationToken: Ct));

        ex.Message.ShouldStartWith("PostgreSQL store 'keel@127.0.0.1:");
        ex.Message.ShouldContain("could not be opened");
        ex.Message.ShouldNotContain("hunter2");
    }

    [Fact]
    public async Task UsePostgres_ResolvedPorts_ShareOnePoolAndStoreSealedRecords()
    {
        var services = new ServiceCollection();
        services.AddKeel().UsePostgres(_connectionString);
        await using (var provider = services.BuildServiceProvider())
        {
            var approvals = provider.GetRequiredService<IApprovalStore>();
            var approval = SampleApprovals.Pending("apr_1", DateTimeOffset.UnixEpoch) with { Reason = "call ana@example.com first" };

            await approvals.RequestAsync(approval, Ct);
            await provider.GetRequiredService<IRunStore>().SaveRunAsync(SampleRuns.Small("r1"), Ct);

            provider.GetRequiredService<PostgresRunStore>().Name.ShouldBe(provider.GetRequiredService<Gateway.PostgresGatewayStore>().Name);
            (await approvals.GetAsync("ws-a", "apr_1", Ct))!.Reason.ShouldBe("call [redacted:email] first");
        }

        (await RowsAsync("SELECT reason FROM approvals")).ShouldBe(["call [redacted:email] first"]);
        (await RowsAsync("SELECT count(*)::text FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")).ShouldBe(["0"]);
    }

    [Fact]
    public async Task PostgresAuditReader_StoreWithRuns_VerifiesIntactAndFindsTampering()
    {
        await using (var store = await OpenAsync())
        {
            await store.SaveRunAsync(SampleRuns.Full(), Ct);
        }

        await using var reader = await PostgresAuditReader.OpenAsync(_connectionString, Ct);
        var report = await reader.VerifyAsync(cancellationToken: Ct);
        report.IsIntact.ShouldBeTrue();
        report.EventsChecked.ShouldBe(15);

        await RowsAsync("UPDATE events SET ts = '2024-05-01T10:00:00.0000000Z' WHERE seq = 3 RETURNING seq::text");
        (await reader.VerifyAsync("ws-a", Ct)).Problems.ShouldContain(p => p.Sequence == 3);
    }

    [Fact]
    public async Task PostgresAuditReader_DatabaseWithoutAStore_ThrowsAndCreatesNothing()
    {
        var ex = await Should.ThrowAsync<StoreException>(() => PostgresAuditReader.OpenAsync(_connectionString, Ct));

        ex.Message.ShouldContain("holds no Keel store");
        (await RowsAsync("SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public'")).ShouldBe(["0"]);
    }

    private Task<PostgresRunStore> OpenAsync() => PostgresRunStore.OpenAsync(new PostgresStoreOptions { ConnectionString = _connectionString }, cancellationToken: Ct);

    private async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString + ";Pooling=false");
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
