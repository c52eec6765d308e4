using Keel.Audit;
using Keel.Model;
using Keel.Storage.Conformance.Support;
using Shouldly;

namespace Keel.Storage.Conformance;

/// <summary>Behaviour every <see cref="IRunStore"/> and <see cref="IAuditLog"/> must have; each backend's test class derives from this one.</summary>
public abstract class RunStoreConformanceTests : StoreConformanceTests
{
    private IRunStore Runs => Store.Runs;

    [Fact]
    public async Task SaveRunAsync_EveryEventKind_RoundTripsTheWholeRun()
    {
        var run = SampleRuns.Full();

        await Runs.SaveRunAsync(run, Ct);
        var loaded = await Runs.GetRunAsync("ws-a", "run-1", Ct);

        RunAssert.Same(loaded, run);
        loaded!.Events.Select(e => e.Kind).Distinct().Count().ShouldBe(Enum.GetValues<RunEventKind>().Length);
    }

    [Fact]
    public async Task GetRunAsync_ManyEvents_ReturnsThemInSequenceOrder()
    {
        var run = SampleRuns.Small("long", events: 250);

        await Runs.SaveRunAsync(run, Ct);
        var loaded = await Runs.GetRunAsync("ws-a", "long", Ct);

        loaded!.Events.Select(e => e.Sequence).ShouldBe(Enumerable.Range(1, 250).Select(i => (long)i));
        loaded.Events.Cast<MessageEvent>().Select(e => e.Content).ShouldBe(run.Events.Cast<MessageEvent>().Select(e => e.Content));
    }

    [Fact]
    public async Task GetRunAsync_UnknownRun_ReturnsNull()
    {
        (await Runs.GetRunAsync("ws-a", "nope", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task GetRunAsync_OtherWorkspace_DoesNotSeeTheRun()
    {
        await Runs.SaveRunAsync(SampleRuns.Full("shared-id", "ws-a"), Ct);
        await Runs.SaveRunAsync(SampleRuns.Small("only-b", "ws-b"), Ct);

        (await Runs.GetRunAsync("ws-b", "shared-id", Ct)).ShouldBeNull();
        (await Runs.GetRunAsync("ws-a", "only-b", Ct)).ShouldBeNull();
        (await Runs.ListRunsAsync("ws-b", cancellationToken: Ct)).Select(r => r.Id).ShouldBe(["only-b"]);
        (await Runs.ListRunsAsync("ws-c", cancellationToken: Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task GetRunSummaryAsync_StoredRun_IsItsListingLineAndNullElsewhere()
    {
        var run = SampleRuns.Small("r", events: 4);
        run.Status = RunStatus.HandedOff;
        await Runs.SaveRunAsync(run, Ct);

        var summary = await Runs.GetRunSummaryAsync("ws-a", "r", Ct);

        summary.ShouldBe((await Runs.ListRunsAsync("ws-a", cancellationToken: Ct)).ShouldHaveSingleItem());
        summary!.Status.ShouldBe(RunStatus.HandedOff);
        summary.EventCount.ShouldBe(4);
        (await Runs.GetRunSummaryAsync("ws-b", "r", Ct)).ShouldBeNull();
        (await Runs.GetRunSummaryAsync("ws-a", "nope", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task SaveRunAsync_SameIdInTwoWorkspaces_KeepsBothApart()
    {
        var a = SampleRuns.Small("same", "ws-a", events: 3);
        var b = SampleRuns.Small("same", "ws-b", events: 5);

        await Runs.SaveRunAsync(a, Ct);
        await Runs.SaveRunAsync(b, Ct);

        RunAssert.Same(await Runs.GetRunAsync("ws-a", "same", Ct), a);
        RunAssert.Same(await Runs.GetRunAsync("ws-b", "same", Ct), b);
    }

    [Fact]
    public async Task SaveRunAsync_SameIdAgain_ReplacesTheEarlierRecord()
    {
        await Runs.SaveRunAsync(SampleRuns.Full("r"), Ct);
        var replay = SampleRuns.Small("r", events: 3);
        replay.Status = RunStatus.Completed;

        await Runs.SaveRunAsync(replay, Ct);

        var loaded = await Runs.GetRunAsync("ws-a", "r", Ct);
        RunAssert.Same(loaded, replay);
        loaded!.Failures.ShouldBeEmpty();
        loaded.Handoff.ShouldBeNull();
        (await Runs.ListRunsAsync("ws-a", cancellationToken: Ct)).ShouldHaveSingleItem().EventCount.ShouldBe(3);
    }

    [Fact]
    public async Task SaveRunAsync_RunChangedAfterSaving_StoredCopyIsUnchanged()
    {
        var run = SampleRuns.Small("r", events: 2);
        var expected = SampleRuns.Small("r", events: 2);
        await Runs.SaveRunAsync(run, Ct);

        run.Append(new MessageEvent(MessageRole.User, "later"));
        run.Status = RunStatus.Failed;
        run.AddFailure(new Failure(FailureClass.Loop, Disposition.SafeStop, "later"));

        RunAssert.Same(await Runs.GetRunAsync("ws-a", "r", Ct), expected);
    }

    [Fact]
    public async Task SaveRunAsync_ListInsideEventChangedAfterSaving_StoredCopyIsUnchanged()
    {
        var sequences = new List<long> { 1 };
        var run = SampleRuns.Small("r", events: 1);
        run.Append(new FindingEvent(new Finding("repeated_question", FindingSeverity.Low, "asked twice", sequences, "repeats")));
        await Runs.SaveRunAsync(run, Ct);

        sequences.Add(99);

        var loaded = await Runs.GetRunAsync("ws-a", "r", Ct);
        loaded!.Events.OfType<FindingEvent>().Single().Finding.EventSequences.ShouldBe([1L]);
    }

    [Fact]
    public async Task ListRunsAsync_SeveralRuns_NewestStartFirstThenIdAndLimited()
    {
        var t0 = new DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);
        await Runs.SaveRunAsync(SampleRuns.Small("old", startedAt: t0), Ct);
        await Runs.SaveRunAsync(SampleRuns.Small("newest", startedAt: t0.AddHours(3)), Ct);

        // 13:30 at +05:00 is 08:30 UTC: older than "old", though its local clock reads later.
        await Runs.SaveRunAsync(SampleRuns.Small("offset", startedAt: new DateTimeOffset(2024, 1, 1, 13, 30, 0, TimeSpan.FromHours(5))), Ct);
        await Runs.SaveRunAsync(SampleRuns.Small("tie-b", startedAt: t0.AddHours(1)), Ct);
        await Runs.SaveRunAsync(SampleRuns.Small("tie-a", startedAt: t0.AddHours(1), events: 4), Ct);

        var all = await Runs.ListRunsAsync("ws-a", cancellationToken: Ct);
        var top2 = await Runs.ListRunsAsync("ws-a", limit: 2, cancellationToken: Ct);

        all.Select(r => r.Id).ShouldBe(["newest", "tie-a", "tie-b", "old", "offset"]);
        top2.Select(r => r.Id).ShouldBe(["newest", "tie-a"]);
        var tieA = all[1];
        tieA.ShouldBe(new RunSummary("tie-a", "agent", "v1", RunStatus.Active, t0.AddHours(1), 4) { CustomerSentiment = 0, CostUsd = 0 });
        all[4].StartedAt.Offset.ShouldBe(TimeSpan.FromHours(5));
    }

    [Fact]
    public async Task ListRunsAsync_ReplayedAndLiveRuns_TellsThemApartByChannelAndOrigin()
    {
        await Runs.SaveRunAsync(new Run("replayed", "ws-a", "agent", "v1", SampleRuns.Start, Run.ReplayChannel), Ct);
        await Runs.SaveRunAsync(new Run("live", "ws-a", "agent", "v1", SampleRuns.Start.AddHours(1), "mcp"), Ct);

        var all = await Runs.ListRunsAsync("ws-a", cancellationToken: Ct);

        all.Select(r => (r.Id, r.Channel, r.Origin)).ShouldBe([("live", "mcp", "live"), ("replayed", "replay", "replay")]);
        (await Runs.GetRunAsync("ws-a", "replayed", Ct))!.Origin.ShouldBe("replay");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    public async Task ListRunsAsync_LimitOutOfRange_Throws(int limit)
    {
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => Runs.ListRunsAsync("ws-a", limit, Ct));
    }

    [Fact]
    public async Task SaveRunAsync_NullRun_Throws()
    {
        await Should.ThrowAsync<ArgumentNullException>(() => Runs.SaveRunAsync(null!, Ct));
    }

    [Fact]
    public async Task SaveRunAsync_Cancelled_WritesNothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => Runs.SaveRunAsync(SampleRuns.Small("r"), cts.Token));

        (await Runs.GetRunAsync("ws-a", "r", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task SaveRunAsync_ConcurrentSaves_AllLand()
    {
        var runs = Enumerable.Range(0, 40).Select(i => SampleRuns.Small($"r{i:D2}", i % 2 == 0 ? "ws-a" : "ws-b", events: 5)).ToList();

        await Task.WhenAll(runs.Select(r => Task.Run(() => Runs.SaveRunAsync(r, Ct), Ct)));

        (await Runs.ListRunsAsync("ws-a", cancellationToken: Ct)).Count.ShouldBe(20);
        (await Runs.ListRunsAsync("ws-b", cancellationToken: Ct)).Count.ShouldBe(20);
        RunAssert.Same(await Runs.GetRunAsync("ws-b", "r17", Ct), runs[17]);
    }

    [Fact]
    public async Task AppendAsync_FirstCallThenMore_StoresTheWholeRun()
    {
        var run = SampleRuns.Small("live", events: 2);
        await Runs.AppendAsync(run, Ct);
        run.Append(new MessageEvent(MessageRole.Assistant, "done"));
        run.AddFailure(new Failure(FailureClass.Incomplete, Disposition.SafeStop, "ended"));
        run.Status = RunStatus.Completed;

        await Runs.AppendAsync(run, Ct);

        RunAssert.Same(await Runs.GetRunAsync("ws-a", "live", Ct), run);
        (await Runs.ListRunsAsync("ws-a", cancellationToken: Ct)).Single().EventCount.ShouldBe(3);
    }

    [Fact]
    public async Task AppendAsync_FewerEventsThanStored_ThrowsStoreException()
    {
        await Runs.SaveRunAsync(SampleRuns.Small("r", events: 3), Ct);

        await Should.ThrowAsync<StoreException>(() => Runs.AppendAsync(SampleRuns.Small("r", events: 1), Ct));

        (await Runs.GetRunAsync("ws-a", "r", Ct))!.Events.Count.ShouldBe(3);
    }

    [Fact]
    public async Task VerifyAsync_SavesAndAppends_IntactWithOneLedgerRowPerCommit()
    {
        var log = Store.Audit;
        await Runs.SaveRunAsync(SampleRuns.Full(), Ct);
        var live = SampleRuns.Small("live", events: 2);
        await Runs.AppendAsync(live, Ct);
        live.Append(new MessageEvent(MessageRole.User, "more"));
        await Runs.AppendAsync(live, Ct);
        await Runs.SaveRunAsync(SampleRuns.Small("b", "ws-b"), Ct);

        var report = await log.VerifyAsync(cancellationToken: Ct);

        report.Problems.ShouldBeEmpty();
        (report.EventsChecked, report.LedgerRowsChecked, report.RunsChecked).ShouldBe((20L, 4L, 3));
        (await log.VerifyAsync("ws-b", Ct)).EventsChecked.ShouldBe(2);
    }

    [Fact]
    public async Task GetEventRecordsAsync_SavedRun_ChainedFromTheRunGenesis()
    {
        var log = Store.Audit;
        await Runs.SaveRunAsync(SampleRuns.Small("r", events: 3), Ct);

        var records = await log.GetEventRecordsAsync("ws-a", "r", cancellationToken: Ct);

        records.Select(r => r.Sequence).ShouldBe([1L, 2L, 3L]);
        records[0].PreviousHash.ShouldBe(AuditHash.RunGenesis("ws-a", "r"));
        records[1].PreviousHash.ShouldBe(records[0].Hash);
        records[2].Hash.ShouldBe(AuditHash.Event(records[1].Hash!, "ws-a", "r", 3, "message", records[2].Timestamp, records[2].PayloadJson));
        (await log.GetEventRecordsAsync("ws-a", "r", afterSequence: 2, limit: 5, cancellationToken: Ct)).Select(r => r.Sequence).ShouldBe([3L]);
    }

    [Fact]
    public async Task SaveRunAsync_PersonalData_ReadBackRedacted()
    {
        var run = SampleRuns.Small("r", events: 0);
        run.Append(new MessageEvent(MessageRole.User, "reach me at ana@example.com or +44 20 7946 0958"));

        await Runs.SaveRunAsync(run, Ct);

        var stored = (MessageEvent)(await Runs.GetRunAsync("ws-a", "r", Ct))!.Events.Single();
        stored.Content.ShouldBe("reach me at [redacted:email] or [redacted:phone]");
    }
}
