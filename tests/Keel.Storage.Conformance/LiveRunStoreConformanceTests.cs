using Keel.Approvals;
using Keel.Model;
using Keel.Storage.Conformance.Support;
using Shouldly;

namespace Keel.Storage.Conformance;

/// <summary>The live path's port (<see cref="ILiveRunStore"/>): run ids unique across workspaces and instances, and one all-or-nothing
/// commit per request with the optimistic check on the run's head.</summary>
public abstract class LiveRunStoreConformanceTests : StoreConformanceTests
{
    [Fact]
    public async Task TryCreateRunAsync_NewId_CreatesTheRunWithItsEvents()
    {
        var run = SampleRuns.Small("live", events: 2);

        (await Store.Live.TryCreateRunAsync(run, Ct)).ShouldBeTrue();

        RunAssert.Same(await Store.Runs.GetRunAsync("ws-a", "live", Ct), run);
        (await Store.Live.GetHeadSequenceAsync("ws-a", "live", Ct)).ShouldBe(2);
        (await Store.Audit.VerifyAsync(cancellationToken: Ct)).IsIntact.ShouldBeTrue();
    }

    [Fact]
    public async Task TryCreateRunAsync_RunWithVersion_StoresAndReadsBackTheAssignment()
    {
        var hash = "sha256:" + new string('a', 64);
        var served = new Run("versioned", "ws-a", "agent", "v1", SampleRuns.Start) { Version = new Versions.VersionAssignment(hash, Versions.VersionAssignment.Candidate, 7) };
        var unhashed = new Run("configured", "ws-a", "agent", "v1", SampleRuns.Start) { Version = new Versions.VersionAssignment(null, Versions.VersionAssignment.Configured, 99) };

        (await Store.Live.TryCreateRunAsync(served, Ct)).ShouldBeTrue();
        (await Store.Live.TryCreateRunAsync(unhashed, Ct)).ShouldBeTrue();
        (await Store.Live.TryCreateRunAsync(SampleRuns.Small("plain"), Ct)).ShouldBeTrue();

        (await Store.Runs.GetRunAsync("ws-a", "versioned", Ct))!.Version.ShouldBe(served.Version);
        (await Store.Runs.GetRunSummaryAsync("ws-a", "versioned", Ct))!.Version.ShouldBe(served.Version);
        (await Store.Runs.GetRunAsync("ws-a", "configured", Ct))!.Version.ShouldBe(unhashed.Version);
        (await Store.Runs.GetRunAsync("ws-a", "plain", Ct))!.Version.ShouldBeNull();
        var listed = (await Store.Runs.ListRunsAsync("ws-a", 10, Ct)).ToDictionary(r => r.Id, r => r.Version);
        listed["versioned"].ShouldBe(served.Version);
        listed["configured"].ShouldBe(unhashed.Version);
        listed["plain"].ShouldBeNull();
    }

    [Fact]
    public async Task TryCreateRunAsync_IdTakenInAnotherWorkspace_ReturnsFalseAndWritesNothing()
    {
        (await Store.Live.TryCreateRunAsync(SampleRuns.Small("taken", "ws-a"), Ct)).ShouldBeTrue();

        (await Store.Live.TryCreateRunAsync(SampleRuns.Small("taken", "ws-b"), Ct)).ShouldBeFalse();
        (await Store.Live.TryCreateRunAsync(SampleRuns.Small("taken", "ws-a"), Ct)).ShouldBeFalse();

        (await Store.Runs.GetRunAsync("ws-b", "taken", Ct)).ShouldBeNull();
        (await Store.Live.GetHeadSequenceAsync("ws-b", "taken", Ct)).ShouldBeNull();
        (await Store.Gateway.OwnersOfAsync(ResourceKind.Run, "taken", Ct)).ShouldBe(["ws-a"]);
    }

    [Fact]
    public async Task TryCreateRunAsync_OneIdRacedInEightWorkspacesOnTwoInstances_ExactlyOneOwnsIt()
    {
        var other = await OpenInstanceAsync();
        for (var round = 0; round < 5; round++)
        {
            var id = $"race-{round}";
            var results = await RaceAsync(8, i => (i % 2 == 0 ? Store.Live : other.Live).TryCreateRunAsync(SampleRuns.Small(id, $"ws-{i}"), Ct));

            results.Count(created => created).ShouldBe(1, $"round {round}");
            var owner = $"ws-{Array.IndexOf(results, true)}";
            (await Store.Gateway.OwnersOfAsync(ResourceKind.Run, id, Ct)).ShouldBe([owner]);
        }

        (await Store.Audit.VerifyAsync(cancellationToken: Ct)).IsIntact.ShouldBeTrue();
    }

    [Fact]
    public async Task CommitAsync_ExpectedHead_WritesEventsApprovalAndAnswerTogether()
    {
        var run = SampleRuns.Small("r1", events: 1);
        await Store.Live.TryCreateRunAsync(run, Ct);
        (await Store.Gateway.ClaimAsync("ws-a", "key1", "idem-1", "sha", TimeSpan.FromMinutes(5), Ct)).State.ShouldBe(IdempotencyState.New);
        run.Append(new MessageEvent(MessageRole.Assistant, "held") { Timestamp = run.StartedAt.AddSeconds(3) });
        run.Status = RunStatus.AwaitingApproval;
        var approval = SampleApprovals.Pending("apr_1", Time.GetUtcNow());
        var answer = new StoredResponse(200, "application/json", """{"decision":"require_approval"}"""u8.ToArray());

        var status = await Store.Live.CommitAsync(new RunCommit(run, 1) { NewApproval = approval, Idempotency = new("ws-a", "key1", "idem-1", answer) }, Ct);

        status.ShouldBe(RunCommitStatus.Committed);
        RunAssert.Same(await Store.Runs.GetRunAsync("ws-a", "r1", Ct), run);
        (await Store.Gateway.GetAsync("ws-a", "apr_1", Ct)).ShouldBe(approval, ApprovalComparer.Instance);
        var replay = await Store.Gateway.ClaimAsync("ws-a", "key1", "idem-1", "sha", TimeSpan.FromMinutes(5), Ct);
        replay.State.ShouldBe(IdempotencyState.Replay);
        replay.Response!.Body.ShouldBe(answer.Body);
        (await Store.Audit.VerifyAsync(cancellationToken: Ct)).IsIntact.ShouldBeTrue();
    }

    [Fact]
    public async Task CommitAsync_TakenOverRunWithInterventions_RoundTripsStatusAndEveryField()
    {
        var run = SampleRuns.Small("r1", events: 1);
        await Store.Live.TryCreateRunAsync(run, Ct);
        var at = run.StartedAt.AddSeconds(5);
        run.Append(new InterventionEvent("takeover", "dana") { KeyId = "k1", Note = "customer asked for a person", Timestamp = at });
        run.Append(new InterventionEvent("hold", "bot") { KeyId = "k2", InterventionId = "int_1", Content = "draft", Channel = "whatsapp", Timestamp = at });
        run.Append(new InterventionEvent("decision", "dana") { KeyId = "k1", InterventionId = "int_1", Decision = "replace", Content = "mine", Channel = "whatsapp", Timestamp = at });
        run.Append(new MessageEvent(MessageRole.Operator, "mine") { Channel = "whatsapp", By = "dana", InterventionId = "int_1", Timestamp = at });
        run.Status = RunStatus.TakenOver;

        (await Store.Live.CommitAsync(new RunCommit(run, 1), Ct)).ShouldBe(RunCommitStatus.Committed);

        var stored = await Store.Runs.GetRunAsync("ws-a", "r1", Ct);
        RunAssert.Same(stored, run);
        stored!.Status.ShouldBe(RunStatus.TakenOver);
        stored.Events.OfType<InterventionEvent>().Select(e => e.Decision).ShouldBe([null, null, "replace"]);
        (await Store.Audit.VerifyAsync(cancellationToken: Ct)).IsIntact.ShouldBeTrue();
    }

    [Fact]
    public async Task CommitAsync_StaleExpectedSequence_ConflictAndWritesNothing()
    {
        var run = SampleRuns.Small("r1", events: 1);
        await Store.Live.TryCreateRunAsync(run, Ct);
        var first = SampleRuns.Small("r1", events: 2);
        (await Store.Live.CommitAsync(new RunCommit(first, 1), Ct)).ShouldBe(RunCommitStatus.Committed);
        await Store.Gateway.ClaimAsync("ws-a", "key1", "idem-2", "sha", TimeSpan.FromMinutes(5), Ct);

        var stale = SampleRuns.Small("r1", events: 3);
        var status = await Store.Live.CommitAsync(
            new RunCommit(stale, 1)
            {
                NewApproval = SampleApprovals.Pending("apr_stale", Time.GetUtcNow()),
                Idempotency = new("ws-a", "key1", "idem-2", new StoredResponse(200, null, [1])),
            },
            Ct);

        status.ShouldBe(RunCommitStatus.Conflict);
        (await Store.Live.GetHeadSequenceAsync("ws-a", "r1", Ct)).ShouldBe(2);
        (await Store.Gateway.GetAsync("ws-a", "apr_stale", Ct)).ShouldBeNull();
        (await Store.Gateway.ClaimAsync("ws-a", "key1", "idem-2", "sha", TimeSpan.FromMinutes(5), Ct)).State.ShouldBe(IdempotencyState.InFlight);
        (await Store.Audit.VerifyAsync(cancellationToken: Ct)).LedgerRowsChecked.ShouldBe(2);
    }

    [Fact]
    public async Task CommitAsync_SameHeadFromTwoInstancesAtOnce_OneCommitsTheOtherConflicts()
    {
        var other = await OpenInstanceAsync();
        await Store.Live.TryCreateRunAsync(SampleRuns.Small("r1", events: 1), Ct);

        for (var head = 1; head <= 6; head++)
        {
            var mine = SampleRuns.Small("r1", events: head + 1);
            var theirs = SampleRuns.Small("r1", events: head + 1);
            var statuses = await Task.WhenAll(
                Task.Run(() => Store.Live.CommitAsync(new RunCommit(mine, head), Ct), Ct),
                Task.Run(() => other.Live.CommitAsync(new RunCommit(theirs, head), Ct), Ct));

            statuses.Count(s => s == RunCommitStatus.Committed).ShouldBe(1, $"head {head}");
        }

        (await Store.Live.GetHeadSequenceAsync("ws-a", "r1", Ct)).ShouldBe(7);
        var report = await Store.Audit.VerifyAsync(cancellationToken: Ct);
        report.Problems.ShouldBeEmpty();
        report.LedgerRowsChecked.ShouldBe(7);
    }

    [Fact]
    public async Task CommitAsync_ApprovalIdTaken_FailsAndWritesNothingOfTheCommit()
    {
        var run = SampleRuns.Small("r1", events: 1);
        await Store.Live.TryCreateRunAsync(run, Ct);
        await Store.Gateway.RequestAsync(SampleApprovals.Pending("apr_dup", Time.GetUtcNow(), digest: "sha256:other"), Ct);
        run.Append(new MessageEvent(MessageRole.Assistant, "held") { Timestamp = run.StartedAt.AddSeconds(3) });

        await Should.ThrowAsync<StoreException>(() => Store.Live.CommitAsync(new RunCommit(run, 1) { NewApproval = SampleApprovals.Pending("apr_dup", Time.GetUtcNow()) }, Ct));

        (await Store.Live.GetHeadSequenceAsync("ws-a", "r1", Ct)).ShouldBe(1);
        (await Store.Audit.VerifyAsync(cancellationToken: Ct)).LedgerRowsChecked.ShouldBe(1);
    }

    [Fact]
    public async Task GetHeadSequenceAsync_UnknownRun_ReturnsNull()
    {
        (await Store.Live.GetHeadSequenceAsync("ws-a", "nope", Ct)).ShouldBeNull();
    }
}
