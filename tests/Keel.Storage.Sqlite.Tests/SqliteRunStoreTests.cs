using Keel.Model;
using Keel.Storage.Sqlite.Tests.Support;
using Shouldly;

namespace Keel.Storage.Sqlite.Tests;

public sealed class SqliteRunStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string DbPath => _directory.File("keel.db");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task SaveRunAsync_FullRun_WritesQueryableRowsForReports()
    {
        await using (var store = await OpenAsync())
        {
            await store.SaveRunAsync(SampleRuns.Full(), Ct);
        }

        RawSql.Rows(DbPath, "SELECT workspace_id, id, agent_name, agent_version, status, started_at, started_at_offset_minutes, channel, workflow_class, event_count, handoff_json IS NOT NULL FROM runs")
            .ShouldBe(["ws-a|run-1|tau-airline|v3|handed_off|2024-05-01T08:00:00.0000000Z|120|web|airline|15|1"]);
        RawSql.Rows(DbPath, "SELECT seq, kind, ts FROM events WHERE seq IN (1, 3, 14) ORDER BY seq")
            .ShouldBe(["1|message|2024-05-01T08:00:01.5001234Z", "3|tool_call|2024-05-01T08:00:04.5003702Z", "14|message|2024-05-01T08:00:21.0017276Z"]);
        RawSql.Rows(DbPath, "SELECT seq, call_id, tool_name, kind, stage, rule_id, policy_version, reason FROM decisions ORDER BY seq").ShouldBe(
        [
            "4|call_1|get_reservation_details|allow|pipeline|null|null|allowed",
            "7|call_2|cancel_reservation|require_approval|policy|airline.cancel.eligibility|2024-05|needs approval",
        ]);
        RawSql.Rows(DbPath, "SELECT seq, type, severity, message, event_seqs_json, monitor FROM findings")
            .ShouldBe(["12|claim_result_mismatch|high|claimed a cancellation that did not happen|[6,10]|claims"]);
        RawSql.Rows(DbPath, "SELECT ordinal, class, disposition, message, event_seq, tool_name, rule_id, retry_count, handoff_target, narrower_permissions FROM failures ORDER BY ordinal").ShouldBe(
        [
            "1|approval_denied|escalate|approval denied|9|cancel_reservation|airline.cancel.eligibility|0|support-tier2|1",
            "2|incomplete|safe_stop|run ended without finishing|null|null|null|0|null|0",
        ]);
        RawSql.Scalar(DbPath, "SELECT json_extract(payload_json, '$.call.tool_name') FROM events WHERE seq = 6").ShouldBe("cancel_reservation");
    }

    [Fact]
    public async Task SaveRunAsync_ReplaceWithShorterRun_LeavesNoRowsOfTheEarlierOne()
    {
        await using var store = await OpenAsync();
        await store.SaveRunAsync(SampleRuns.Full("r"), Ct);

        await store.SaveRunAsync(SampleRuns.Small("r", events: 3), Ct);

        RawSql.Count(DbPath, "SELECT count(*) FROM events").ShouldBe(3);
        RawSql.Count(DbPath, "SELECT count(*) FROM decisions").ShouldBe(0);
        RawSql.Count(DbPath, "SELECT count(*) FROM findings").ShouldBe(0);
        RawSql.Count(DbPath, "SELECT count(*) FROM failures").ShouldBe(0);
        RawSql.Count(DbPath, "SELECT count(*) FROM runs").ShouldBe(1);
    }

    [Fact]
    public async Task OpenAsync_NewFile_UsesWriteAheadLogging()
    {
        await using var store = await OpenAsync();

        RawSql.Scalar(DbPath, "PRAGMA journal_mode").ShouldBe("wal");
        File.Exists(DbPath + "-wal").ShouldBeTrue();
    }

    [Fact]
    public async Task OpenAsync_ReopenedFile_StillHasTheRuns()
    {
        var run = SampleRuns.Full();
        await using (var first = await OpenAsync())
        {
            await first.SaveRunAsync(run, Ct);
        }

        await using var second = await OpenAsync();

        RunAssert.Same(await second.GetRunAsync("ws-a", "run-1", Ct), run);
    }

    [Fact]
    public async Task Constructor_ValidOptions_OpensNothingUntilFirstUse()
    {
        var path = Path.Combine(_directory.Path, "nested", "deeper", "keel.db");
        await using var store = new SqliteRunStore(new SqliteRunStoreOptions { Path = path });

        File.Exists(path).ShouldBeFalse();
        await store.SaveRunAsync(SampleRuns.Small("r"), Ct);

        File.Exists(path).ShouldBeTrue();
        store.Path.ShouldBe(path);
    }

    [Fact]
    public async Task OpenAsync_FileIsNotADatabase_ThrowsStoreExceptionNamingTheFile()
    {
        await File.WriteAllTextAsync(DbPath, new string('x', 4096), Ct);

        var ex = await Should.ThrowAsync<StoreException>(() => OpenAsync());

        ex.Message.ShouldContain(DbPath);
        ex.Message.ShouldContain("could not be opened");
    }

    [Theory]
    [InlineData("UPDATE events SET payload_json = '{\"role\":' WHERE seq = 2", "events row seq 2 (message) is not a valid event")]
    [InlineData("UPDATE runs SET status = 'sleeping'", "runs.status")]
    [InlineData("DELETE FROM events WHERE seq = 5", "events.seq jumps from 4 to 6")]
    public async Task GetRunAsync_DamagedRows_ThrowsStoreExceptionNamingTheRun(string damage, string detail)
    {
        await using var store = await OpenAsync();
        await store.SaveRunAsync(SampleRuns.Full("r"), Ct);
        RawSql.Execute(DbPath, damage);

        var ex = await Should.ThrowAsync<StoreException>(() => store.GetRunAsync("ws-a", "r", Ct));

        ex.Message.ShouldContain("run 'r' of workspace 'ws-a' could not be read");
        ex.ToString().ShouldContain(detail);
    }

    [Fact]
    public async Task DisposeAsync_ThenSave_ThrowsObjectDisposed()
    {
        var store = await OpenAsync();
        await store.DisposeAsync();
        await store.DisposeAsync();

        await Should.ThrowAsync<ObjectDisposedException>(() => store.SaveRunAsync(SampleRuns.Small("r"), Ct));
        await Should.ThrowAsync<ObjectDisposedException>(() => store.GetRunAsync("ws-a", "r", Ct));
    }

    [Fact]
    public async Task SaveRunsAsync_Batch_StoresEveryRunAndLaterDuplicateWins()
    {
        await using var store = await OpenAsync();
        var runs = Enumerable.Range(0, 50).Select(i => SampleRuns.Full($"r{i:D2}")).ToList();
        var duplicate = SampleRuns.Small("r07", events: 1);
        runs.Add(duplicate);

        await store.SaveRunsAsync(runs, Ct);

        (await store.ListRunsAsync("ws-a", 1000, Ct)).Count.ShouldBe(50);
        RunAssert.Same(await store.GetRunAsync("ws-a", "r31", Ct), runs[31]);
        RunAssert.Same(await store.GetRunAsync("ws-a", "r07", Ct), duplicate);
    }

    [Fact]
    public async Task SaveRunsAsync_EmptyOrHoldingNull_WritesNothingOrThrows()
    {
        await using var store = await OpenAsync();

        await store.SaveRunsAsync([], Ct);
        var ex = await Should.ThrowAsync<ArgumentException>(() => store.SaveRunsAsync([SampleRuns.Small("a"), null!], Ct));

        ex.Message.ShouldContain("runs[1] is null");
        (await store.ListRunsAsync("ws-a", cancellationToken: Ct)).ShouldBeEmpty();
    }

    private Task<SqliteRunStore> OpenAsync() => SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = DbPath }, cancellationToken: Ct);
}
