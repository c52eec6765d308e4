using Keel.Model;
using Keel.Storage.Sqlite.Tests.Support;
using Shouldly;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>A save that fails part-way leaves nothing of the run: a trigger, added to the file from outside the way an
/// operator or a damaged schema would, makes SQLite refuse one row in the middle of a run.</summary>
public sealed class SqliteAtomicityTests : OpenStoreTests
{
    [Theory]
    [InlineData("events", "NEW.seq = 10")]
    [InlineData("decisions", "NEW.seq = 7")]
    [InlineData("findings", "1")]
    [InlineData("failures", "NEW.ordinal = 2")]
    public async Task SaveRunAsync_RowRefusedMidRun_ThrowsStoreExceptionAndWritesNothing(string table, string when)
    {
        RefuseRowsOf(table, when);

        var ex = await Should.ThrowAsync<StoreException>(() => Store.SaveRunAsync(SampleRuns.Full("doomed"), Ct));

        ex.Message.ShouldContain("'doomed'");
        ex.Message.ShouldContain("nothing of it was written");
        ex.Message.ShouldContain("refused by test");
        (await Store.GetRunAsync("ws-a", "doomed", Ct)).ShouldBeNull();
        foreach (var name in new[] { "events", "decisions", "findings", "failures", "audit_ledger" })
        {
            RawSql.Count(DbPath, $"SELECT count(*) FROM {name}").ShouldBe(0, $"{name} should hold no row of the failed run");
        }

        RawSql.Count(DbPath, "SELECT count(*) FROM runs").ShouldBe(0);
    }

    [Fact]
    public async Task SaveRunAsync_ReplaceFailsMidRun_KeepsTheEarlierRecordWhole()
    {
        var earlier = SampleRuns.Full("r");
        await Store.SaveRunAsync(earlier, Ct);
        RefuseRowsOf("events", "NEW.payload_json LIKE '%poison%'");
        var replay = SampleRuns.Small("r", events: 6);
        replay.Append(new MessageEvent(MessageRole.User, "poison"));

        await Should.ThrowAsync<StoreException>(() => Store.SaveRunAsync(replay, Ct));

        RunAssert.Same(await Store.GetRunAsync("ws-a", "r", Ct), earlier);
    }

    [Fact]
    public async Task SaveRunAsync_AfterAFailedSave_StoreStillWorks()
    {
        RefuseRowsOf("events", "NEW.payload_json LIKE '%poison%'");
        var bad = SampleRuns.Small("bad");
        bad.Append(new MessageEvent(MessageRole.User, "poison"));
        await Should.ThrowAsync<StoreException>(() => Store.SaveRunAsync(bad, Ct));

        var good = SampleRuns.Full("good");
        await Store.SaveRunAsync(good, Ct);

        RunAssert.Same(await Store.GetRunAsync("ws-a", "good", Ct), good);
    }

    [Fact]
    public async Task SaveRunsAsync_OneRunRefused_SavesTheOthersAndNamesTheFailedOne()
    {
        RefuseRowsOf("events", "NEW.payload_json LIKE '%poison%'");
        var bad = SampleRuns.Full("bad");
        bad.Append(new MessageEvent(MessageRole.User, "poison"));
        var runs = new[] { SampleRuns.Full("a"), bad, SampleRuns.Full("c") };

        var ex = await Should.ThrowAsync<StoreException>(() => Store.SaveRunsAsync(runs, Ct));

        ex.Message.ShouldContain("1 of 3 runs were not saved");
        ex.Message.ShouldContain("'bad'");
        ex.Message.ShouldContain("The other 2 runs were saved");
        (await Store.GetRunAsync("ws-a", "bad", Ct)).ShouldBeNull();
        RawSql.Count(DbPath, "SELECT count(*) FROM events WHERE run_id = 'bad'").ShouldBe(0);
        RunAssert.Same(await Store.GetRunAsync("ws-a", "a", Ct), runs[0]);
        RunAssert.Same(await Store.GetRunAsync("ws-a", "c", Ct), runs[2]);
    }

    [Fact]
    public async Task SaveRunsAsync_OneRunCannotBeSerialized_SavesTheOthersAndTheLedgerStaysWhole()
    {
        var bad = SampleRuns.Small("bad");
        bad.Append(new UnknownEvent());
        var runs = new[] { SampleRuns.Small("a"), bad, SampleRuns.Small("c") };

        var ex = await Should.ThrowAsync<StoreException>(() => Store.SaveRunsAsync(runs, Ct));

        ex.Message.ShouldContain("1 of 3 runs were not saved");
        ex.Message.ShouldContain("'bad'");
        RawSql.Rows(DbPath, "SELECT seq, run_id FROM audit_ledger ORDER BY seq").ShouldBe(["1|a", "2|c"]);
        (await Store.VerifyAsync(cancellationToken: Ct)).Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task SaveRunsAsync_Cancelled_WritesNothingOfTheBatch()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => Store.SaveRunsAsync([SampleRuns.Small("a"), SampleRuns.Small("b")], cts.Token));

        RawSql.Count(DbPath, "SELECT count(*) FROM runs").ShouldBe(0);
    }

    [Fact]
    public async Task SaveRunAsync_EventOfUnknownType_ThrowsStoreExceptionAndWritesNothing()
    {
        var run = SampleRuns.Small("r", events: 4);
        run.Append(new UnknownEvent());

        var ex = await Should.ThrowAsync<StoreException>(() => Store.SaveRunAsync(run, Ct));

        ex.Message.ShouldContain("'r'");
        RawSql.Count(DbPath, "SELECT count(*) FROM events").ShouldBe(0);
    }

    private sealed record UnknownEvent : RunEvent
    {
        public override RunEventKind Kind => RunEventKind.Message;
    }
}
