using Keel.Cli.Commands;
using Keel.Cli.Tests;
using Keel.Storage.Conformance.Support;
using Npgsql;
using Shouldly;

namespace Keel.Storage.Postgres.Tests;

/// <summary><c>keel audit verify --store postgres --connection …</c> against a real database.</summary>
[Collection(CliSerial.Name)]
public sealed class AuditVerifyCommandTests(PostgresCluster cluster) : IAsyncLifetime
{
    private string _connectionString = string.Empty;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _connectionString = await cluster.CreateDatabaseAsync();

    public async ValueTask DisposeAsync() => await cluster.DropDatabaseAsync(_connectionString);

    [Fact]
    public async Task AuditVerify_IntactStore_ExitsZeroAndPrintsTheHead()
    {
        await StoreRunsAsync();
        using var console = new CapturedConsole();

        var exit = await KeelAsync("audit", "verify", "--store", "postgres", "--connection", _connectionString);

        exit.ShouldBe(ExitCodes.Ok, console.Text);
        console.Text.ShouldContain("Checked 19 events in 2 runs and 2 ledger rows.");
        console.Text.ShouldContain("Intact");
        console.Text.ShouldContain("  " + await ScalarAsync("SELECT hash FROM audit_ledger WHERE workspace_id = 'ws-a'"));
    }

    [Fact]
    public async Task AuditVerify_EventDeleted_ExitsFourNamingRunAndEvent()
    {
        await StoreRunsAsync();
        await ScalarAsync("DELETE FROM events WHERE run_id = 'run-1' AND seq = 2 RETURNING run_id");
        using var console = new CapturedConsole();

        var exit = await KeelAsync("audit", "verify", "--store", "postgres", "--connection", _connectionString);

        exit.ShouldBe(ExitCodes.Tampered, console.Text);
        console.Text.ShouldContain("Removed workspace 'ws-a', run 'run-1', event 2:");
    }

    [Fact]
    public async Task AuditVerify_ConnectionFromTheEnvironmentOnAnEmptyDatabase_ExitsTwo()
    {
        using var console = new CapturedConsole();
        Environment.SetEnvironmentVariable(StoreArguments.ConnectionVariable, _connectionString);
        try
        {
            var exit = await KeelAsync("audit", "verify", "--store", "postgres");

            exit.ShouldBe(ExitCodes.BadInput, console.Text);
            console.Text.ShouldContain("holds no Keel store");
        }
        finally
        {
            Environment.SetEnvironmentVariable(StoreArguments.ConnectionVariable, null);
        }
    }

    private async Task StoreRunsAsync()
    {
        await using var store = await PostgresRunStore.OpenAsync(new PostgresStoreOptions { ConnectionString = _connectionString }, cancellationToken: Ct);
        await store.SaveRunAsync(SampleRuns.Full(), Ct);
        await store.SaveRunAsync(SampleRuns.Small("other", "ws-b", events: 4), Ct);
    }

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString + ";Pooling=false");
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync(Ct);
    }

    private static async Task<int> KeelAsync(params string[] args) => await KeelCommand.Create().Parse(args).InvokeAsync(cancellationToken: Ct);
}
