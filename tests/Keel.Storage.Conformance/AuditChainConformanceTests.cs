using Keel.Audit;
using Keel.Model;
using Keel.Storage.Conformance.Support;
using Shouldly;

namespace Keel.Storage.Conformance;

/// <summary>The audit chain every backend keeps (docs/audit.md): hashes Core recomputes, tampering found, and a ledger that never forks
/// when several instances write one workspace at once.</summary>
public abstract class AuditChainConformanceTests : StoreConformanceTests
{
    [Fact]
    public async Task VerifyAsync_TimestampsWithSubMicrosecondTicks_RecomputesEveryStoredHash()
    {
        var run = SampleRuns.Full();
        await Store.Runs.SaveRunAsync(run, Ct);

        var records = await Store.Audit.GetEventRecordsAsync("ws-a", "run-1", cancellationToken: Ct);
        var report = await Store.Audit.VerifyAsync(cancellationToken: Ct);

        report.Problems.ShouldBeEmpty();
        records.Select(r => r.Timestamp).ShouldBe(run.Events.Select(e => e.Timestamp.ToUniversalTime()));
        records[4].Hash.ShouldBe(AuditHash.Event(records[3].Hash!, "ws-a", "run-1", 5, "tool_result", run.Events[4].Timestamp, records[4].PayloadJson));
    }

    [Fact]
    public async Task VerifyAsync_PayloadChangedBehindTheStore_ReportsTheEvent()
    {
        await Store.Runs.SaveRunAsync(SampleRuns.Small("r1", events: 4), Ct);
        await Store.Runs.SaveRunAsync(SampleRuns.Small("r2", "ws-b"), Ct);

        await Backend.ExecuteSqlAsync("UPDATE events SET payload_json = replace(payload_json, 'message 2', 'message 9') WHERE run_id = 'r1' AND seq = 3");

        var report = await Store.Audit.VerifyAsync(cancellationToken: Ct);
        report.IsIntact.ShouldBeFalse();
        report.Problems.ShouldAllBe(p => p.WorkspaceId == "ws-a" && p.RunId == "r1");
        report.Problems.ShouldContain(p => p.Sequence == 3);
        (await Store.Audit.VerifyAsync("ws-b", Ct)).IsIntact.ShouldBeTrue();
    }

    [Fact]
    public async Task VerifyAsync_EventDeletedBehindTheStore_ReportsItRemoved()
    {
        await Store.Runs.SaveRunAsync(SampleRuns.Small("r1", events: 4), Ct);

        await Backend.ExecuteSqlAsync("DELETE FROM events WHERE run_id = 'r1' AND seq = 2");

        var report = await Store.Audit.VerifyAsync(cancellationToken: Ct);
        report.Problems.ShouldContain(p => p.Kind == AuditProblemKind.Removed && p.RunId == "r1" && p.Sequence == 2);
    }

    [Fact]
    public async Task VerifyAsync_LedgerRowChangedBehindTheStore_ReportsTheRow()
    {
        await Store.Runs.SaveRunAsync(SampleRuns.Small("r1"), Ct);
        await Store.Runs.SaveRunAsync(SampleRuns.Small("r2"), Ct);

        await Backend.ExecuteSqlAsync("UPDATE audit_ledger SET last_event_seq = 1 WHERE workspace_id = 'ws-a' AND seq = 1");

        var report = await Store.Audit.VerifyAsync(cancellationToken: Ct);
        report.Problems.ShouldContain(p => p.LedgerSequence == 1);
    }

    [Fact]
    public async Task AppendAsync_TwoInstancesAppendingOneWorkspaceAtOnce_LedgerNeverForks()
    {
        var other = await OpenInstanceAsync();
        var runs = Enumerable.Range(0, 16).Select(i => SampleRuns.Small($"live-{i:D2}", events: 1)).ToList();

        // Each run is written by one instance, three commits each; the two instances interleave in one workspace.
        await Task.WhenAll(runs.Select((run, i) => Task.Run(async () =>
        {
            var store = i % 2 == 0 ? Store.Runs : other.Runs;
            await store.AppendAsync(run, Ct);
            run.Append(new MessageEvent(MessageRole.Assistant, "second") { Timestamp = run.StartedAt.AddSeconds(5) });
            await store.AppendAsync(run, Ct);
            run.Status = RunStatus.Completed;
            await store.AppendAsync(run, Ct);
        }, Ct)));

        var report = await Store.Audit.VerifyAsync("ws-a", Ct);
        report.Problems.ShouldBeEmpty();
        (report.EventsChecked, report.LedgerRowsChecked, report.RunsChecked).ShouldBe((32L, 48L, 16));
        report.Workspaces.ShouldHaveSingleItem().LedgerSequence.ShouldBe(48);
    }

    [Fact]
    public async Task AppendAsync_SameRunFromTwoInstances_SecondWritesOnlyWhatIsNew()
    {
        var other = await OpenInstanceAsync();
        var run = SampleRuns.Small("shared", events: 2);
        await Store.Runs.AppendAsync(run, Ct);
        run.Append(new MessageEvent(MessageRole.User, "third") { Timestamp = run.StartedAt.AddSeconds(9) });

        await Task.WhenAll(Task.Run(() => Store.Runs.AppendAsync(run, Ct), Ct), Task.Run(() => other.Runs.AppendAsync(run, Ct), Ct));

        (await Store.Runs.GetRunAsync("ws-a", "shared", Ct))!.Events.Count.ShouldBe(3);
        var report = await Store.Audit.VerifyAsync(cancellationToken: Ct);
        report.Problems.ShouldBeEmpty();
        report.LedgerRowsChecked.ShouldBe(2);
    }

    [Fact]
    public async Task SaveRunsAsync_BatchOverTwoWorkspaces_OneLedgerRowPerRunAndIntact()
    {
        var runs = Enumerable.Range(0, 10).Select(i => SampleRuns.Small($"b{i}", i % 2 == 0 ? "ws-a" : "ws-b", events: 3)).ToList();

        await Task.WhenAll(Store.Runs.SaveRunsAsync(runs, Ct), (await OpenInstanceAsync()).Runs.SaveRunsAsync([.. runs.AsEnumerable().Reverse()], Ct));

        var report = await Store.Audit.VerifyAsync(cancellationToken: Ct);
        report.Problems.ShouldBeEmpty();
        (report.EventsChecked, report.LedgerRowsChecked).ShouldBe((30L, 20L));
        RunAssert.Same(await Store.Runs.GetRunAsync("ws-b", "b7", Ct), runs[7]);
    }
}
