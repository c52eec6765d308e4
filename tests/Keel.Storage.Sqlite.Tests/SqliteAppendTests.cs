using Keel.Audit;
using Keel.Model;
using Keel.Storage.Sqlite.Tests.Support;
using Shouldly;

namespace Keel.Storage.Sqlite.Tests;

/// <summary><see cref="SqliteRunStore.AppendAsync"/>: the live gateway's write, on a real file.</summary>
public sealed class SqliteAppendTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DbPath => _directory.File("keel.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AppendAsync_Twice_WritesOnlyNewRowsAndVerifies()
    {
        await using var store = await OpenAsync();
        var run = SampleRuns.Small("live", events: 3);
        await store.AppendAsync(run, Ct);
        var firstRows = RawSql.Rows(DbPath, "SELECT seq, hash FROM events ORDER BY seq");

        run.Append(new ToolCallEvent(new ToolCall("c1", "get_user_details", "{\"user_id\":\"u1\"}")));
        run.Append(new DecisionEvent("c1", Decision.Allowed));
        run.AddFailure(new Failure(FailureClass.Incomplete, Disposition.SafeStop, "stopped"));
        run.Status = RunStatus.Failed;
        await store.AppendAsync(run, Ct);

        RunAssert.Same(await store.GetRunAsync("ws-a", "live", Ct), run);
        RawSql.Rows(DbPath, "SELECT seq, hash FROM events WHERE seq <= 3 ORDER BY seq").ShouldBe(firstRows);
        RawSql.Rows(DbPath, "SELECT seq, call_id, tool_name FROM decisions").ShouldBe(["5|c1|get_user_details"]);
        RawSql.Rows(DbPath, "SELECT status, event_count FROM runs").ShouldBe(["failed|5"]);
        RawSql.Rows(DbPath, "SELECT seq, commit_kind, first_event_seq, last_event_seq FROM audit_ledger ORDER BY seq").ShouldBe(["1|append|1|3", "2|append|4|5"]);
        (await store.VerifyAsync(cancellationToken: Ct)).Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task AppendAsync_NothingNew_WritesNoLedgerRow()
    {
        await using var store = await OpenAsync();
        var run = SampleRuns.Small("live", events: 2);
        await store.AppendAsync(run, Ct);

        await store.AppendAsync(run, Ct);

        RawSql.Count(DbPath, "SELECT count(*) FROM audit_ledger").ShouldBe(1);
    }

    [Fact]
    public async Task AppendAsync_StatusOnlyChanged_UpdatesRunAndAppendsEmptyRange()
    {
        await using var store = await OpenAsync();
        var run = SampleRuns.Small("live", events: 2);
        await store.AppendAsync(run, Ct);

        run.Status = RunStatus.Completed;
        await store.AppendAsync(run, Ct);

        RawSql.Rows(DbPath, "SELECT status FROM runs").ShouldBe(["completed"]);
        RawSql.Rows(DbPath, "SELECT first_event_seq, last_event_seq FROM audit_ledger WHERE seq = 2").ShouldBe(["3|2"]);
        (await store.VerifyAsync(cancellationToken: Ct)).IsIntact.ShouldBeTrue();
    }

    [Fact]
    public async Task AppendAsync_AfterSaveThenSaveAgain_ChainContinuesThenRestarts()
    {
        await using var store = await OpenAsync();
        var run = SampleRuns.Small("r", events: 2);
        await store.SaveRunAsync(run, Ct);
        run.Append(new MessageEvent(MessageRole.User, "more"));
        await store.AppendAsync(run, Ct);
        (await store.VerifyAsync(cancellationToken: Ct)).IsIntact.ShouldBeTrue();

        await store.SaveRunAsync(SampleRuns.Small("r", events: 1), Ct);

        (await store.VerifyAsync(cancellationToken: Ct)).Problems.ShouldBeEmpty();
        RawSql.Rows(DbPath, "SELECT commit_kind, first_event_seq, last_event_seq FROM audit_ledger ORDER BY seq").ShouldBe(["save|1|2", "append|3|3", "save|1|1"]);
    }

    [Fact]
    public async Task AppendAsync_FewerEventsThanStored_ThrowsAndWritesNothing()
    {
        await using var store = await OpenAsync();
        await store.SaveRunAsync(SampleRuns.Small("r", events: 4), Ct);

        var ex = await Should.ThrowAsync<StoreException>(() => store.AppendAsync(SampleRuns.Small("r", events: 2), Ct));

        ex.Message.ShouldContain("an append never removes anything");
        RawSql.Count(DbPath, "SELECT count(*) FROM events").ShouldBe(4);
        RawSql.Count(DbPath, "SELECT count(*) FROM audit_ledger").ShouldBe(1);
    }

    [Fact]
    public async Task AppendAsync_TwoStoresOnOneFileAtOnce_ChainNeverForks()
    {
        await using var first = await OpenAsync();
        await using var second = await OpenAsync();
        var prefixes = Enumerable.Range(1, 12).Select(n => SampleRuns.Small("shared", events: n)).ToList();

        foreach (var prefix in prefixes)
        {
            await Task.WhenAll(Task.Run(() => first.AppendAsync(prefix, Ct), Ct), Task.Run(() => second.AppendAsync(prefix, Ct), Ct));
        }

        RawSql.Count(DbPath, "SELECT count(*) FROM events").ShouldBe(12);
        RawSql.Rows(DbPath, "SELECT first_event_seq || '-' || last_event_seq FROM audit_ledger ORDER BY seq")
            .ShouldBe(Enumerable.Range(1, 12).Select(n => $"{n}-{n}"));
        var report = await first.VerifyAsync(cancellationToken: Ct);
        report.Problems.ShouldBeEmpty();
        report.EventsChecked.ShouldBe(12);
    }

    [Fact]
    public async Task AppendAsync_EventsLaterTamperedWith_Detected()
    {
        await using (var store = await OpenAsync())
        {
            var run = SampleRuns.Small("live", events: 2);
            await store.AppendAsync(run, Ct);
            run.Append(new MessageEvent(MessageRole.User, "third"));
            await store.AppendAsync(run, Ct);
        }

        RawSql.Execute(DbPath, "DELETE FROM events WHERE seq = 3");
        using var reader = SqliteAuditReader.Open(DbPath);

        var problem = reader.Verify().Problems.ShouldHaveSingleItem();

        (problem.Sequence, problem.Kind, problem.LedgerSequence).ShouldBe((3L, AuditProblemKind.Removed, 2L));
    }

    private Task<SqliteRunStore> OpenAsync() => SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = DbPath }, cancellationToken: Ct);
}
