using Keel.Audit;
using Keel.Storage.Sqlite.Tests.Support;
using Shouldly;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>The audit chain on a real file: saved runs verify clean, and tampering with the file through a second connection,
/// the way someone with write access to the file would, is reported with workspace, run and sequence.</summary>
public sealed class SqliteAuditTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DbPath => _directory.File("keel.db");

    public async ValueTask InitializeAsync()
    {
        await using var store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = DbPath }, new FixedTimeProvider(s_now), Ct);
        await store.SaveRunAsync(SampleRuns.Full("run-1"), Ct);
        await store.SaveRunsAsync([SampleRuns.Small("run-2", events: 5), SampleRuns.Small("run-3", events: 4)], Ct);
        await store.SaveRunAsync(SampleRuns.Small("other", "ws-b", events: 2), Ct);
    }

    public ValueTask DisposeAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public void Verify_SavedRuns_IntactWithHeadsAndCounts()
    {
        using var reader = SqliteAuditReader.Open(DbPath);

        var report = reader.Verify();

        report.Problems.ShouldBeEmpty();
        (report.EventsChecked, report.LedgerRowsChecked, report.RunsChecked).ShouldBe((26L, 4L, 4));
        report.Workspaces.Select(w => (w.WorkspaceId, w.LedgerSequence, w.Runs, w.Events)).ShouldBe([("ws-a", 3L, 3, 24L), ("ws-b", 1L, 1, 2L)]);
        report.Workspaces[0].HeadHash.ShouldBe(RawSql.Scalar(DbPath, "SELECT hash FROM audit_ledger WHERE workspace_id = 'ws-a' AND seq = 3"));
        RawSql.Rows(DbPath, "SELECT seq, run_id, commit_kind, first_event_seq, last_event_seq, committed_at FROM audit_ledger WHERE workspace_id = 'ws-a' ORDER BY seq")
            .ShouldBe(["1|run-1|save|1|15|2025-03-01T12:00:00.0000000Z", "2|run-2|save|1|5|2025-03-01T12:00:00.0000000Z", "3|run-3|save|1|4|2025-03-01T12:00:00.0000000Z"]);
    }

    [Fact]
    public void Verify_EventsChainLinks_EachPreviousHashIsTheHashBefore()
    {
        var rows = RawSql.Rows(DbPath, "SELECT prev_hash, hash FROM events WHERE workspace_id = 'ws-a' AND run_id = 'run-2' ORDER BY seq").Select(r => r.Split('|')).ToList();

        rows[0][0].ShouldBe(AuditHash.RunGenesis("ws-a", "run-2"));
        for (var i = 1; i < rows.Count; i++)
        {
            rows[i][0].ShouldBe(rows[i - 1][1]);
        }

        rows.ShouldAllBe(r => AuditHash.IsWellFormed(r[1]));
    }

    [Fact]
    public void Verify_PayloadUpdated_ChangedAtThatEvent()
    {
        RawSql.Execute(DbPath, "UPDATE events SET payload_json = replace(payload_json, 'message 2 of run-2', 'message 2 edited') WHERE run_id = 'run-2' AND seq = 3");

        var problem = Verify().ShouldHaveSingleItem();

        (problem.WorkspaceId, problem.RunId, problem.Sequence, problem.Kind).ShouldBe(("ws-a", "run-2", 3L, AuditProblemKind.Changed));
    }

    [Theory]
    [InlineData("2024-05-01T08:00:09.0000000Z")]
    [InlineData("yesterday")] // not a time: read as a stand-in that fails its hash, not a read error
    public void Verify_TimeUpdated_ChangedAtThatEvent(string ts)
    {
        RawSql.Execute(DbPath, $"UPDATE events SET ts = '{ts}' WHERE run_id = 'run-2' AND seq = 2");

        var problem = Verify().ShouldHaveSingleItem();

        (problem.RunId, problem.Sequence, problem.Kind).ShouldBe(("run-2", 2L, AuditProblemKind.Changed));
    }

    [Fact]
    public void Verify_MiddleEventDeleted_RemovedAtThatEvent()
    {
        RawSql.Execute(DbPath, "DELETE FROM events WHERE run_id = 'run-1' AND seq = 7");

        var problem = Verify().ShouldHaveSingleItem();

        (problem.RunId, problem.Sequence, problem.Kind).ShouldBe(("run-1", 7L, AuditProblemKind.Removed));
    }

    [Fact]
    public void Verify_LastEventDeleted_RemovedCaughtByTheLedger()
    {
        RawSql.Execute(DbPath, "DELETE FROM events WHERE run_id = 'run-3' AND seq = 4");

        var problem = Verify().ShouldHaveSingleItem();

        (problem.RunId, problem.Sequence, problem.Kind, problem.LedgerSequence).ShouldBe(("run-3", 4L, AuditProblemKind.Removed, 3L));
    }

    [Fact]
    public void Verify_TwoRowsSeqSwapped_Reordered()
    {
        RawSql.Execute(DbPath, """
            UPDATE events SET seq = -1 WHERE run_id = 'run-2' AND seq = 2;
            UPDATE events SET seq = 2 WHERE run_id = 'run-2' AND seq = 3;
            UPDATE events SET seq = 3 WHERE run_id = 'run-2' AND seq = -1;
            """);

        Verify().Select(p => (p.RunId, p.Sequence, p.Kind)).ShouldBe([("run-2", 2L, AuditProblemKind.Reordered), ("run-2", 3L, AuditProblemKind.Reordered)]);
    }

    [Fact]
    public void Verify_RunDeleted_RemovedRun()
    {
        RawSql.Execute(DbPath, "PRAGMA foreign_keys = ON; DELETE FROM runs WHERE id = 'run-2'");
        RawSql.Count(DbPath, "SELECT count(*) FROM events WHERE run_id = 'run-2'").ShouldBe(0);

        var problem = Verify().ShouldHaveSingleItem();

        (problem.RunId, problem.Sequence, problem.Kind).ShouldBe(("run-2", (long?)null, AuditProblemKind.Removed));
    }

    [Fact]
    public void Verify_LedgerRowUpdated_LedgerMismatch()
    {
        RawSql.Execute(DbPath, "UPDATE audit_ledger SET last_event_seq = 3 WHERE workspace_id = 'ws-a' AND seq = 3");

        Verify().ShouldContain(p => p.Kind == AuditProblemKind.LedgerMismatch && p.LedgerSequence == 3 && p.RunId == "run-3");
    }

    [Fact]
    public void Verify_OneWorkspace_OnlyItsRecordsChecked()
    {
        RawSql.Execute(DbPath, "DELETE FROM events WHERE run_id = 'run-1' AND seq = 7");
        using var reader = SqliteAuditReader.Open(DbPath);

        var report = reader.Verify("ws-b");

        report.IsIntact.ShouldBeTrue();
        report.EventsChecked.ShouldBe(2);
        report.Workspaces.Select(w => w.WorkspaceId).ShouldBe(["ws-b"]);
    }

    [Fact]
    public async Task VerifyAsync_StoreOpen_SameFindingsAsTheReader()
    {
        RawSql.Execute(DbPath, "DELETE FROM events WHERE run_id = 'run-1' AND seq = 7");
        await using var store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = DbPath }, cancellationToken: Ct);

        var report = await store.VerifyAsync(cancellationToken: Ct);

        report.Problems.Select(p => (p.RunId, p.Sequence, p.Kind)).ShouldBe([("run-1", 7L, AuditProblemKind.Removed)]);
    }

    [Fact]
    public async Task GetEventRecordsAsync_AfterASequence_ReturnsTheRestWithHashes()
    {
        await using var store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = DbPath }, cancellationToken: Ct);

        var records = await store.GetEventRecordsAsync("ws-a", "run-2", afterSequence: 3, cancellationToken: Ct);

        records.Select(r => r.Sequence).ShouldBe([4L, 5L]);
        records[0].PreviousHash.ShouldBe(RawSql.Scalar(DbPath, "SELECT hash FROM events WHERE run_id = 'run-2' AND seq = 3"));
        records[1].PreviousHash.ShouldBe(records[0].Hash);
        records[0].PayloadJson.ShouldContain("message 3 of run-2");
        (await store.GetEventRecordsAsync("ws-b", "run-2", cancellationToken: Ct)).ShouldBeEmpty();
    }

    [Fact]
    public void Open_MissingFile_ThrowsFileNotFound() =>
        Should.Throw<FileNotFoundException>(() => SqliteAuditReader.Open(_directory.File("nope.db")));

    [Fact]
    public void Open_NotAKeelStore_ThrowsStoreException()
    {
        var path = _directory.File("other.db");
        RawSql.Execute(path, "CREATE TABLE t (x INTEGER)");

        Should.Throw<StoreException>(() => SqliteAuditReader.Open(path)).Message.ShouldContain("not a Keel store");
    }

    private List<AuditProblem> Verify()
    {
        using var reader = SqliteAuditReader.Open(DbPath);
        return [.. reader.Verify().Problems];
    }
}
