using Keel.Model;
using Keel.Storage.Conformance.Support;
using Keel.Storage.Sqlite.Tests.Support;
using Shouldly;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>Group commit of the live path (<see cref="SqliteRunStore.CommitAsync"/>): requests queued while the connection is busy
/// commit in one transaction, each with its own outcome, and a request cancelled before a group takes it is written by none.</summary>
public sealed class SqliteGroupCommitTests : OpenStoreTests
{
    [Fact]
    public async Task CommitAsync_RequestsQueuedWhileBusy_OneTransactionEachWithItsOwnOutcome()
    {
        var runs = new Dictionary<string, Run>();
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            runs[id] = SampleRuns.Small(id, events: 1);
            (await Store.TryCreateRunAsync(runs[id], Ct)).ShouldBeTrue();
        }

        RefuseRowsOf("events", "NEW.payload_json LIKE '%poison%'");
        var groupsBefore = Store.GroupsCommitted;

        // Hold the connection, queue five requests behind it, then let go: the first to get the connection commits all five.
        await Store.Gate.WaitAsync(Ct);
        Task<RunCommitStatus> first, second, stale, poisoned, other;
        try
        {
            first = Store.CommitAsync(new RunCommit(Add(runs["a"], "first"), 1), Ct);
            second = Store.CommitAsync(new RunCommit(Add(Copy(runs["a"]), "second"), 2), Ct); // sees the first's event in the same group
            stale = Store.CommitAsync(new RunCommit(Add(runs["b"], "stale"), 0), Ct);
            poisoned = Store.CommitAsync(new RunCommit(Add(runs["c"], "poison"), 1), Ct);
            other = Store.CommitAsync(new RunCommit(Add(runs["d"], "other"), 1), Ct);
            first.IsCompleted.ShouldBeFalse();
        }
        finally
        {
            Store.Gate.Release();
        }

        (await first).ShouldBe(RunCommitStatus.Committed);
        (await second).ShouldBe(RunCommitStatus.Committed);
        (await stale).ShouldBe(RunCommitStatus.Conflict);
        var refused = await Should.ThrowAsync<StoreException>(() => poisoned);
        refused.Message.ShouldContain("'c'");
        refused.Message.ShouldContain("nothing of it was written");
        (await other).ShouldBe(RunCommitStatus.Committed);

        (Store.GroupsCommitted - groupsBefore).ShouldBe(1);
        (await Store.GetHeadSequenceAsync("ws-a", "a", Ct)).ShouldBe(3);
        (await Store.GetHeadSequenceAsync("ws-a", "b", Ct)).ShouldBe(1);
        (await Store.GetHeadSequenceAsync("ws-a", "c", Ct)).ShouldBe(1);
        (await Store.GetHeadSequenceAsync("ws-a", "d", Ct)).ShouldBe(2);
        RawSql.Count(DbPath, "SELECT count(*) FROM events WHERE payload_json LIKE '%poison%' OR payload_json LIKE '%stale%'").ShouldBe(0);
        RawSql.Count(DbPath, "SELECT count(*) FROM audit_ledger").ShouldBe(4 + 3); // four creations, three appends
        (await Store.VerifyAsync(cancellationToken: Ct)).IsIntact.ShouldBeTrue();
    }

    [Fact]
    public async Task CommitAsync_CancelledWhileQueued_ThrowsAndWritesNothing()
    {
        var run = SampleRuns.Small("r", events: 1);
        await Store.TryCreateRunAsync(run, Ct);
        using var cancel = new CancellationTokenSource();

        await Store.Gate.WaitAsync(Ct);
        Task<RunCommitStatus> cancelled;
        try
        {
            cancelled = Store.CommitAsync(new RunCommit(Add(Copy(run), "cancelled"), 1), cancel.Token);
            await cancel.CancelAsync();
            await Should.ThrowAsync<OperationCanceledException>(() => cancelled);
        }
        finally
        {
            Store.Gate.Release();
        }

        (await Store.CommitAsync(new RunCommit(Add(run, "kept"), 1), Ct)).ShouldBe(RunCommitStatus.Committed);
        var stored = await Store.GetRunAsync("ws-a", "r", Ct);
        stored!.Events.OfType<MessageEvent>().Select(m => m.Content).ShouldNotContain("cancelled");
        stored.Events.Count.ShouldBe(2);
        (await Store.VerifyAsync(cancellationToken: Ct)).IsIntact.ShouldBeTrue();
    }

    [Fact]
    public async Task CommitAsync_SixtyFourRunsCommittingConcurrently_EveryCommitLandsInOrder()
    {
        const int runCount = 64, commitsPerRun = 5;
        var runs = Enumerable.Range(0, runCount).Select(i => SampleRuns.Small($"run-{i}", events: 1)).ToArray();
        foreach (var run in runs)
        {
            await Store.TryCreateRunAsync(run, Ct);
        }

        await Task.WhenAll(runs.Select(run => Task.Run(async () =>
        {
            for (var k = 0; k < commitsPerRun; k++)
            {
                var expected = run.Events.Count;
                (await Store.CommitAsync(new RunCommit(Add(run, $"turn {k}"), expected), Ct)).ShouldBe(RunCommitStatus.Committed);
            }
        }, Ct)));

        foreach (var run in runs)
        {
            RunAssert.Same(await Store.GetRunAsync("ws-a", run.Id, Ct), run);
        }

        RawSql.Count(DbPath, "SELECT count(*) FROM audit_ledger").ShouldBe(runCount * (1 + commitsPerRun));
        (await Store.VerifyAsync(cancellationToken: Ct)).IsIntact.ShouldBeTrue();
    }

    private static Run Add(Run run, string text)
    {
        run.Append(new MessageEvent(MessageRole.User, text) { Timestamp = run.StartedAt.AddSeconds(run.Events.Count + 1) });
        return run;
    }

    private static Run Copy(Run run)
    {
        var copy = new Run(run.Id, run.WorkspaceId, run.AgentName, run.AgentVersion, run.StartedAt, run.Channel);
        foreach (var runEvent in run.Events)
        {
            copy.Append(runEvent with { });
        }

        return copy;
    }
}
