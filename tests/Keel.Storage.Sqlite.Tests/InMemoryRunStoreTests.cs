using Keel.Model;

using Keel.Storage.Conformance;
using Shouldly;

namespace Keel.Storage.Sqlite.Tests;

public sealed class InMemoryRunStoreTests : RunStoreConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => Task.FromResult<IStoreBackend>(new InMemoryBackend());

    [Fact]
    public async Task GetRunAsync_ReturnedRunChanged_StoredCopyIsUnchanged()
    {
        await Store.Runs.SaveRunAsync(SampleRuns.Small("r"), Ct);
        var first = await Store.Runs.GetRunAsync("ws-a", "r", Ct);

        first!.Append(new MessageEvent(MessageRole.User, "extra"));
        first.Status = RunStatus.Completed;

        var second = await Store.Runs.GetRunAsync("ws-a", "r", Ct);
        second!.Events.Count.ShouldBe(2);
        second.Status.ShouldBe(RunStatus.Active);
    }

    [Fact]
    public async Task SaveRunAsync_EventOfUnknownType_ThrowsStoreExceptionAndStoresNothing()
    {
        var run = SampleRuns.Small("r");
        run.Append(new UnknownEvent());

        var ex = await Should.ThrowAsync<StoreException>(() => Store.Runs.SaveRunAsync(run, Ct));

        ex.Message.ShouldContain("'r'");
        (await Store.Runs.GetRunAsync("ws-a", "r", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task AppendAsync_SameRunFromTwoThreadsAtOnce_ChainNeverForks()
    {
        var store = new InMemoryRunStore();
        var prefixes = Enumerable.Range(1, 30).Select(n => SampleRuns.Small("shared", events: n)).ToList();

        foreach (var prefix in prefixes)
        {
            await Task.WhenAll(Task.Run(() => store.AppendAsync(prefix, Ct), Ct), Task.Run(() => store.AppendAsync(prefix, Ct), Ct));
        }

        var report = await store.VerifyAsync(cancellationToken: Ct);
        report.Problems.ShouldBeEmpty();
        (report.EventsChecked, report.LedgerRowsChecked).ShouldBe((30L, 30L));
    }

    [Fact]
    public async Task SaveRunAsync_WithoutRedactor_StoresTheTextAsGiven()
    {
        var store = new InMemoryRunStore(redactor: null);
        var run = SampleRuns.Small("r", events: 0);
        run.Append(new MessageEvent(MessageRole.User, "ana@example.com"));

        await store.SaveRunAsync(run, Ct);

        ((MessageEvent)(await store.GetRunAsync("ws-a", "r", Ct))!.Events[0]).Content.ShouldBe("ana@example.com");
    }

    [Fact]
    public async Task QueryRunsAsync_DefaultImplementation_FiltersByTagAndSentimentAndPages()
    {
        var runs = new List<Run>();
        for (var i = 0; i < 5; i++)
        {
            var run = new Run($"r{i}", "ws-a", "agent", "v1", SampleRuns.Start.AddMinutes(i));
            run.Append(new MessageEvent(MessageRole.User, i % 2 == 0 ? "I hate this, it is terrible." : "Great, thank you!"));
            if (i != 4)
            {
                run.Append(new FindingEvent(new Finding("sentiment_negative", FindingSeverity.Low, "m", [1], "sentiment")));
            }

            runs.Add(run);
        }

        await Store.Runs.SaveRunsAsync(runs, Ct);
        var query = new RunQuery { Tags = ["sentiment_negative"], SentimentBelow = -0.05, Limit = 1 };

        var first = await Store.Runs.QueryRunsAsync("ws-a", query, Ct);
        var second = await Store.Runs.QueryRunsAsync("ws-a", query with { After = first.Next }, Ct);

        first.Runs.Select(r => r.Id).ShouldBe(["r2"]);
        first.Runs[0].CustomerSentiment!.Value.ShouldBeLessThan(-0.05);
        second.Runs.Select(r => r.Id).ShouldBe(["r0"]);
        second.Next.ShouldBeNull();
    }

    private sealed record UnknownEvent : RunEvent
    {
        public override RunEventKind Kind => RunEventKind.Message;
    }

    /// <summary>One in-memory store shared by every "instance" (it has no gateway store: the run conformance tests use none).</summary>
    private sealed class InMemoryBackend : IStoreBackend
    {
        private readonly InMemoryRunStore _store = new();

        public Task<StoreInstance> OpenAsync(TimeProvider time) => Task.FromResult(new StoreInstance(_store, null!));

        public Task ExecuteSqlAsync(string sql) => throw new NotSupportedException("the in-memory store has no SQL");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
