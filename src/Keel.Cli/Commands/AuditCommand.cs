using System.CommandLine;
using Keel.Audit;
using Keel.Storage;
using Keel.Storage.Postgres;
using Keel.Storage.Sqlite;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel audit verify [--store sqlite --db &lt;file&gt; | --store postgres --connection &lt;string&gt;] [--workspace &lt;id&gt;]</c>.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var store = new StoreArguments("SQLite file to verify (opened read-only)");
        var workspace = new Option<string?>("--workspace", "-w") { Description = "Only this workspace (default: every workspace)." };
        var verify = new Command(
            "verify",
            "Check the hash-chained audit log: every event against its hash and its run's chain, every ledger row against the workspace's ledger. "
            + "Prints what was checked, each workspace's head hash (write it down elsewhere to detect truncation later) and every problem. "
            + "Exit code 0: intact; 4: tampering found; 2: no such file, no Keel store or a bad connection string; 3: the store could not be read or reached.")
        {
            workspace,
        };
        foreach (var option in store.All)
        {
            verify.Options.Add(option);
        }

        verify.SetAction((parse, cancellationToken) => VerifyAsync(store.Read(parse), parse.GetValue(workspace), cancellationToken));
        return new Command("audit", "Work with the audit log.") { verify };
    }

    internal static async Task<int> VerifyAsync(StoreChoice store, string? workspace, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        if (store.Validate() is { } storeError)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {storeError}");
            return ExitCodes.BadInput;
        }

        return store.IsPostgres ? await VerifyPostgresAsync(console, store.ConnectionString!, workspace, cancellationToken) : Verify(console, store.DbPath, workspace);
    }

    private static int Verify(IAnsiConsole console, string dbPath, string? workspace)
    {
        SqliteAuditReader reader;
        try
        {
            reader = SqliteAuditReader.Open(dbPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or StoreException or ArgumentException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadInput;
        }

        AuditReport report;
        using (reader)
        {
            try
            {
                report = reader.Verify(string.IsNullOrEmpty(workspace) ? null : workspace);
            }
            catch (StoreException ex)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
                return ExitCodes.StoreFailed;
            }
        }

        var path = reader.Path;
        Write(console, path, workspace, report);
        return report.IsIntact ? ExitCodes.Ok : ExitCodes.Tampered;
    }

    private static async Task<int> VerifyPostgresAsync(IAnsiConsole console, string connectionString, string? workspace, CancellationToken cancellationToken)
    {
        PostgresAuditReader reader;
        try
        {
            reader = await PostgresAuditReader.OpenAsync(connectionString, cancellationToken);
        }
        catch (StoreException ex)
        {
            // No inner exception: the server answered but holds no Keel store (bad input); otherwise it could not be reached or read.
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ex.InnerException is null ? ExitCodes.BadInput : ExitCodes.StoreFailed;
        }

        await using (reader)
        {
            try
            {
                var report = await reader.VerifyAsync(string.IsNullOrEmpty(workspace) ? null : workspace, cancellationToken);
                Write(console, reader.Name, workspace, report);
                return report.IsIntact ? ExitCodes.Ok : ExitCodes.Tampered;
            }
            catch (StoreException ex)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
                return ExitCodes.StoreFailed;
            }
        }
    }

    private static void Write(IAnsiConsole console, string path, string? workspace, AuditReport report)
    {
        console.MarkupLineInterpolated($"Audit log of [bold]{path}[/]{(workspace is null ? string.Empty : $", workspace {workspace}")}");
        console.MarkupLineInterpolated($"Checked {report.EventsChecked} events in {report.RunsChecked} runs and {report.LedgerRowsChecked} ledger rows.");
        foreach (var head in report.Workspaces)
        {
            // The hash on a line of its own (73 columns), so it is copied whole from an 80-column terminal.
            console.MarkupLineInterpolated($"Workspace [bold]{head.WorkspaceId}[/]: {head.Runs} runs, {head.Events} events, {head.LedgerSequence} ledger rows; head hash:");
            console.MarkupLineInterpolated($"  {head.HeadHash}");
        }

        if (report.IsIntact)
        {
            console.MarkupLine("[green]Intact:[/] no event or ledger row was changed, removed or reordered. Keep the head hashes somewhere else: "
                + "only a head known from outside shows that the newest records were not cut off.");
            return;
        }

        foreach (var problem in report.Problems)
        {
            var where = $"workspace '{problem.WorkspaceId}'"
                + (problem.RunId is null ? string.Empty : $", run '{problem.RunId}'")
                + (problem.Sequence is { } sequence ? $", event {sequence}" : string.Empty)
                + (problem.LedgerSequence is { } row ? $", ledger row {row}" : string.Empty);
            console.MarkupLineInterpolated($"[red]{problem.Kind}[/] {where}: {problem.Message}");
        }

        console.MarkupLineInterpolated($"[red]{report.Problems.Count} problem(s) found:[/] the audit log was tampered with.");
    }
}
