using Keel.Cli.Commands;
using Keel.Model;
using Keel.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

[Collection(CliSerial.Name)]
public sealed class AuditVerifyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-audit-cli-").FullName;

    private string Db => Path.Combine(_dir, "keel.db");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task AuditVerify_IntactStore_ExitsZeroAndPrintsTheHead()
    {
        await StoreRunsAsync();
        using var console = new CapturedConsole();

        var exit = await KeelAsync("audit", "verify", "--db", Db);

        exit.ShouldBe(ExitCodes.Ok, console.Text);
        console.Text.ShouldContain("Checked 6 events in 2 runs and 2 ledger rows.");
        console.Text.ShouldContain("Intact");
        console.Text.ShouldContain("  " + Scalar("SELECT hash FROM audit_ledger WHERE seq = 2"));
    }

    [Fact]
    public async Task AuditVerify_EventDeleted_ExitsFourNamingRunAndEvent()
    {
        await StoreRunsAsync();
        Execute("DELETE FROM events WHERE run_id = 'r1' AND seq = 2");
        using var console = new CapturedConsole();

        var exit = await KeelAsync("audit", "verify", "--db", Db);

        exit.ShouldBe(ExitCodes.Tampered, console.Text);
        console.Text.ShouldContain("Removed workspace 'ws', run 'r1', event 2:");
        console.Text.ShouldContain("1 problem(s) found");
    }

    [Fact]
    public async Task AuditVerify_OtherWorkspaceTampered_OneWorkspaceStillIntact()
    {
        await StoreRunsAsync();
        Execute("UPDATE events SET payload_json = replace(payload_json, 'hello', 'HELLO') WHERE run_id = 'r1'");
        using var console = new CapturedConsole();

        var exit = await KeelAsync("audit", "verify", "--db", Db, "--workspace", "other");

        exit.ShouldBe(ExitCodes.Ok, console.Text);
        console.Text.ShouldContain("Checked 2 events in 1 runs");
    }

    [Fact]
    public async Task AuditVerify_MissingFile_ExitsTwo()
    {
        using var console = new CapturedConsole();

        var exit = await KeelAsync("audit", "verify", "--db", Path.Combine(_dir, "nope.db"));

        exit.ShouldBe(ExitCodes.BadInput);
        console.Text.ShouldContain("No Keel store at");
        File.Exists(Path.Combine(_dir, "nope.db")).ShouldBeFalse();
    }

    [Fact]
    public async Task AuditVerify_NotAKeelStore_ExitsTwo()
    {
        await File.WriteAllTextAsync(Db, "not a database", TestContext.Current.CancellationToken);
        using var console = new CapturedConsole();

        var exit = await KeelAsync("audit", "verify", "--db", Db);

        exit.ShouldBe(ExitCodes.BadInput, console.Text);
        console.Text.ShouldContain("not a Keel store");
    }

    private static async Task<int> KeelAsync(params string[] args) =>
        await KeelCommand.Create().Parse(args).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

    private async Task StoreRunsAsync()
    {
        await using var store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = Db }, cancellationToken: TestContext.Current.CancellationToken);
        foreach (var (workspace, id, events) in new[] { ("ws", "r1", 4), ("other", "r2", 2) })
        {
            var run = new Run(id, workspace, "agent", "v1", new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero));
            for (var i = 0; i < events; i++)
            {
                run.Append(new MessageEvent(MessageRole.User, $"hello {i}"));
            }

            await store.SaveRunAsync(run, TestContext.Current.CancellationToken);
        }
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Db, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private string? Scalar(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Db, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }
}
