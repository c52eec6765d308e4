using Keel.Audit;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Audit;

public sealed class AuditVerifierTests
{
    private static AuditLogFixture TwoRuns() => new AuditLogFixture().Save("ws", "r1", 5).Save("ws", "r2", 3);

    [Fact]
    public void Verify_IntactLog_NoProblemsAndCounts()
    {
        var log = TwoRuns().Append("ws", "r1", 2).Save("other", "r1", 1);

        var report = log.Verify();

        report.Problems.ShouldBeEmpty();
        report.IsIntact.ShouldBeTrue();
        report.EventsChecked.ShouldBe(11);
        report.LedgerRowsChecked.ShouldBe(4);
        report.RunsChecked.ShouldBe(3);
        report.Workspaces.Select(w => (w.WorkspaceId, w.LedgerSequence, w.Runs, w.Events)).ShouldBe([("other", 1L, 1, 1L), ("ws", 3L, 2, 10L)]);
        report.Workspaces[1].HeadHash.ShouldBe(log.Ledger[2].Hash);
    }

    [Fact]
    public void Verify_RunSavedAgain_OnlyTheNewRecordCounts()
    {
        var log = TwoRuns().Save("ws", "r1", 2);

        log.Verify().Problems.ShouldBeEmpty();
    }

    [Fact]
    public void Verify_ChangedPayload_ChangedAtThatEvent()
    {
        var log = TwoRuns();
        log.Replace("r1", 3, e => e with { PayloadJson = e.PayloadJson.Replace("message 3", "message three", StringComparison.Ordinal) });

        var problem = log.Verify().Problems.ShouldHaveSingleItem();

        (problem.RunId, problem.Sequence, problem.Kind).ShouldBe(("r1", 3L, AuditProblemKind.Changed));
    }

    [Fact]
    public void Verify_ChangedHash_ChangedAtThatEventOnly()
    {
        var log = TwoRuns();
        log.Replace("r1", 2, e => e with { Hash = AuditHash.RunGenesis("x", "y") });

        var problem = log.Verify().Problems.ShouldHaveSingleItem();

        (problem.Sequence, problem.Kind).ShouldBe((2L, AuditProblemKind.Changed));
    }

    [Fact]
    public void Verify_ChangedAndRehashed_ChangedAtThatEvent()
    {
        var log = TwoRuns();
        log.Replace("r1", 2, e =>
        {
            var payload = AuditLogFixture.Payload(2, "forged");
            return e with { PayloadJson = payload, Hash = AuditHash.Event(e.PreviousHash!, "ws", "r1", 2, e.Kind, e.Timestamp, payload) };
        });

        var problem = log.Verify().Problems.ShouldHaveSingleItem();

        (problem.Sequence, problem.Kind).ShouldBe((2L, AuditProblemKind.Changed));
        problem.Message.ShouldContain("re-hashed");
    }

    [Fact]
    public void Verify_ChangedTime_Changed()
    {
        var log = TwoRuns();
        log.Replace("r2", 1, e => e with { Timestamp = e.Timestamp.AddHours(1) });

        log.Verify().Problems.ShouldHaveSingleItem().Kind.ShouldBe(AuditProblemKind.Changed);
    }

    [Fact]
    public void Verify_RemovedMiddleEvent_RemovedAtThatSequenceOnly()
    {
        var log = TwoRuns();
        log.Events.RemoveAt(log.IndexOf("r1", 3));

        var problem = log.Verify().Problems.ShouldHaveSingleItem();

        (problem.RunId, problem.Sequence, problem.Kind).ShouldBe(("r1", 3L, AuditProblemKind.Removed));
    }

    [Fact]
    public void Verify_RemovedLastEvent_CaughtByTheLedger()
    {
        var log = TwoRuns();
        log.Events.RemoveAt(log.IndexOf("r1", 5));

        var problem = log.Verify().Problems.ShouldHaveSingleItem();

        (problem.Sequence, problem.Kind, problem.LedgerSequence).ShouldBe((5L, AuditProblemKind.Removed, 1L));
        problem.Message.ShouldContain("removed from the end");
    }

    [Fact]
    public void Verify_SwappedEvents_BothReordered()
    {
        var log = TwoRuns();
        var (two, three) = (log.IndexOf("r1", 2), log.IndexOf("r1", 3));
        (log.Events[two], log.Events[three]) = (log.Events[three] with { Sequence = 2 }, log.Events[two] with { Sequence = 3 });

        var problems = log.Verify().Problems;

        problems.Select(p => (p.Sequence, p.Kind)).ShouldBe([(2L, AuditProblemKind.Reordered), (3L, AuditProblemKind.Reordered)]);
    }

    [Fact]
    public void Verify_RemovedRun_Removed()
    {
        var log = TwoRuns();
        log.Events.RemoveAll(e => e.RunId == "r2");

        var problem = log.Verify().Problems.ShouldHaveSingleItem();

        (problem.RunId, problem.Sequence, problem.Kind).ShouldBe(("r2", (long?)null, AuditProblemKind.Removed));
    }

    [Fact]
    public void Verify_ChangedLedgerRow_LedgerMismatch()
    {
        var log = TwoRuns();
        log.Ledger[0] = log.Ledger[0] with { LastEventSequence = 4 };

        var problems = log.Verify().Problems;

        problems.ShouldContain(p => p.Kind == AuditProblemKind.LedgerMismatch && p.LedgerSequence == 1 && p.Message.Contains("was changed"));
    }

    [Fact]
    public void Verify_RemovedLedgerRow_LedgerMismatch()
    {
        var log = TwoRuns().Save("ws", "r3", 1);
        log.Ledger.RemoveAt(1);

        var problems = log.Verify().Problems;

        problems.ShouldContain(p => p.Kind == AuditProblemKind.LedgerMismatch && p.Message.Contains("row 2 is missing"));
        problems.ShouldContain(p => p.Kind == AuditProblemKind.Unrecorded && p.RunId == "r2");
    }

    [Fact]
    public void Verify_RunReplacedOutsideTheStore_LedgerMismatch()
    {
        var log = TwoRuns();
        var forged = Rechain(log.Events.Where(e => e.RunId == "r2").ToList(), "forged"); // a consistent chain with other content
        log.Events.RemoveAll(e => e.RunId == "r2");
        log.Events.AddRange(forged);

        var problem = log.Verify().Problems.ShouldHaveSingleItem();

        (problem.RunId, problem.Sequence, problem.Kind, problem.LedgerSequence).ShouldBe(("r2", 3L, AuditProblemKind.LedgerMismatch, 2L));
    }

    [Fact]
    public void Verify_EventAddedOutsideTheStore_Unrecorded()
    {
        var log = TwoRuns();
        var head = log.At("r2", 3);
        var payload = AuditLogFixture.Payload(4, "extra");
        log.Events.Add(new AuditEventRecord("ws", "r2", 4, "message", head.Timestamp, payload, head.Hash,
            AuditHash.Event(head.Hash!, "ws", "r2", 4, "message", head.Timestamp, payload)));

        var problem = log.Verify().Problems.ShouldHaveSingleItem();

        (problem.Sequence, problem.Kind).ShouldBe((4L, AuditProblemKind.Unrecorded));
    }

    [Fact]
    public void Verify_AppendedEventChanged_LedgerHeadOfThatAppendChecked()
    {
        var log = new AuditLogFixture().Save("ws", "r", 2).Append("ws", "r", 2).Append("ws", "r", 1);
        var rechained = Rechain(log.Events.Where(e => e.Sequence <= 4).ToList(), "forged");
        log.Events.RemoveAll(e => e.Sequence <= 4);
        log.Events.AddRange(rechained);
        log.Replace("r", 5, e => e with { PreviousHash = rechained[^1].Hash, Hash = AuditHash.Event(rechained[^1].Hash!, "ws", "r", 5, e.Kind, e.Timestamp, e.PayloadJson) });

        var problems = log.Verify().Problems;

        problems.Select(p => (p.Sequence, p.Kind, p.LedgerSequence)).ShouldContain((2L, AuditProblemKind.LedgerMismatch, 1L));
        problems.Select(p => (p.Sequence, p.Kind, p.LedgerSequence)).ShouldContain((4L, AuditProblemKind.LedgerMismatch, 2L));
    }

    [Fact]
    public void Verify_HashesErased_Unchained()
    {
        var log = TwoRuns();
        log.Replace("r1", 4, e => e with { Hash = null, PreviousHash = null });

        var problem = log.Verify().Problems.ShouldHaveSingleItem();

        (problem.Sequence, problem.Kind).ShouldBe((4L, AuditProblemKind.Unchained));
    }

    [Fact]
    public void Verify_EventsOfARunApart_Throws()
    {
        var log = TwoRuns();
        var events = log.Events.OrderBy(e => e.Sequence).ToList();

        Should.Throw<ArgumentException>(() => AuditVerifier.Verify(log.Ledger, events)).Message.ShouldContain("do not come together");
    }

    private static List<AuditEventRecord> Rechain(List<AuditEventRecord> events, string content)
    {
        var previous = AuditHash.RunGenesis(events[0].WorkspaceId, events[0].RunId);
        var result = new List<AuditEventRecord>();
        foreach (var e in events.OrderBy(e => e.Sequence))
        {
            var payload = AuditLogFixture.Payload(e.Sequence, content);
            var hash = AuditHash.Event(previous, e.WorkspaceId, e.RunId, e.Sequence, e.Kind, e.Timestamp, payload);
            result.Add(e with { PayloadJson = payload, PreviousHash = previous, Hash = hash });
            previous = hash;
        }

        return result;
    }
}
