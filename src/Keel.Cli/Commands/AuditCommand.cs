using System.CommandLine;
using Keel.Audit;
using Keel.Storage;
using Keel.Storage.Sqlite;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel audit verify [--db &lt;file&gt;] [--workspace &lt;id&gt;]</c>.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var db = new Option<string>("--db")
        {
            Description = "SQLite file to verify (opened read-only).",
            DefaultValueFactory = _ => "keel.db",
        };
        var workspace = new Option<string?>("--workspace", "-w") { Description = "Only this workspace (default: every workspace)." };
        var verify = new Command(
            "verify",
            "Check the hash-chained audit log: every event against its hash and its run's chain, every ledger row against the workspace's ledger. "
            + "Prints what was checked, each workspace's head hash (write it down elsewhere to detect truncation later) and every problem. "
            + "Exit code 0: intact; 4: tampering found; 2: no such file or not a Keel store; 3: the file could not be read.")
        {
            db, workspace,
        };
        verify.SetAction(parse => Verify(parse.GetValue(db)!, parse.GetValue(workspace)));
        return new Command("audit", "Work with the audit log.") { verify };
    }

    internal static int Verify(string dbPath, string? workspace)
    {
        var console = AnsiConsole.Console;
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
