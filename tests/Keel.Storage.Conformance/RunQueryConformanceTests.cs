using Keel.Model;
using Keel.Storage.Conformance.Support;
using Shouldly;

namespace Keel.Storage.Conformance;

/// <summary>Filtered, paged run listings (<see cref="IRunStore.QueryRunsAsync"/>): tags, the customer's sentiment, the agent and the
/// cursor, the same on every backend.</summary>
public abstract class RunQueryConformanceTests : StoreConformanceTests
{
    private const string Calm = "Thanks, that sounds great.";
    private const string Angry = "This is terrible, I am furious and I hate this.";

    private IRunStore Runs => Store.Runs;

    [Fact]
    public async Task QueryRunsAsync_Tags_ReturnsRunsWithEveryTagInThisWorkspaceOnly()
    {
        await Runs.SaveRunAsync(Conversation("both", 0, [Calm], "sentiment_negative", "topic:refund"), Ct);
        await Runs.SaveRunAsync(Conversation("one", 1, [Calm], "sentiment_negative"), Ct);
        await Runs.SaveRunAsync(Conversation("none", 2, [Calm]), Ct);
        await Runs.SaveRunAsync(Conversation("other-ws", 3, [Calm], ["sentiment_negative", "topic:refund"], workspaceId: "ws-b"), Ct);

        (await Ids(new RunQuery { Tags = ["sentiment_negative"] })).ShouldBe(["one", "both"]);
        (await Ids(new RunQuery { Tags = ["sentiment_negative", "topic:refund"] })).ShouldBe(["both"]);
        (await Ids(new RunQuery { Tags = ["topic:unknown"] })).ShouldBeEmpty();
        (await Ids(new RunQuery())).ShouldBe(["none", "one", "both"]);
    }

    [Fact]
    public async Task QueryRunsAsync_SentimentBelow_FiltersOnTheLastCustomerMessage()
    {
        var turnedAngry = Conversation("turned-angry", 0, [Calm, Angry]);
        var calmedDown = Conversation("calmed-down", 1, [Angry, Calm]);
        var silent = new Run("silent", "ws-a", "agent", "v1", SampleRuns.Start.AddMinutes(2));
        silent.Append(new MessageEvent(MessageRole.Assistant, "Hello, how can I help?"));
        await Runs.SaveRunsAsync([turnedAngry, calmedDown, silent], Ct);

        var below = await Runs.QueryRunsAsync("ws-a", new RunQuery { SentimentBelow = -0.05 }, Ct);
        var all = await Runs.QueryRunsAsync("ws-a", new RunQuery(), Ct);

        below.Runs.Select(r => r.Id).ShouldBe(["turned-angry"]);
        below.Next.ShouldBeNull();
        all.Runs.Single(r => r.Id == "turned-angry").CustomerSentiment!.Value.ShouldBe(RunListingValues.CustomerSentiment(turnedAngry)!.Value, 1e-9);
        all.Runs.Single(r => r.Id == "turned-angry").CustomerSentiment!.Value.ShouldBeLessThan(-0.5);
        all.Runs.Single(r => r.Id == "calmed-down").CustomerSentiment!.Value.ShouldBeGreaterThan(0.5);
        all.Runs.Single(r => r.Id == "silent").CustomerSentiment.ShouldBeNull();
        (await Ids(new RunQuery { SentimentBelow = 1 })).ShouldBe(["calmed-down", "turned-angry"]);
    }

    [Fact]
    public async Task QueryRunsAsync_PagedWithFilters_VisitsEveryMatchOnceInOrder()
    {
        var runs = new List<Run>();
        for (var i = 0; i < 23; i++)
        {
            // Pairs share a start time, so ties are ordered by id across page boundaries; every other pair is angry, two runs in
            // three are tagged.
            runs.Add(Conversation($"r{i:00}", i / 2, [i / 2 % 2 == 0 ? Angry : Calm], i % 3 != 2 ? ["escalation"] : []));
        }

        await Runs.SaveRunsAsync(runs, Ct);
        var query = new RunQuery { Tags = ["escalation"], SentimentBelow = 0.5, Limit = 2 };
        var expected = runs.Where((_, i) => i % 3 != 2 && i / 2 % 2 == 0).OrderByDescending(r => r.StartedAt).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Id).ToList();

        var seen = new List<string>();
        RunCursor? cursor = null;
        var pages = 0;
        do
        {
            var page = await Runs.QueryRunsAsync("ws-a", query with { After = cursor }, Ct);
            page.Runs.Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(page.Runs.Select(r => r.Id));
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null && pages < 20);

        seen.ShouldBe(expected);
        pages.ShouldBe((expected.Count + 1) / 2);
    }

    [Fact]
    public async Task QueryRunsAsync_Agent_ReturnsThatAgentsRunsOnly()
    {
        await Runs.SaveRunAsync(Conversation("mine", 0, [Calm], "topic:refund"), Ct);
        await Runs.SaveRunAsync(Conversation("theirs", 1, [Calm], ["topic:refund"], agent: "other"), Ct);

        (await Ids(new RunQuery { Agent = "other", Tags = ["topic:refund"] })).ShouldBe(["theirs"]);
        (await Ids(new RunQuery { Agent = "agent" })).ShouldBe(["mine"]);
    }

    [Fact]
    public async Task QueryRunsAsync_LiveCommits_UpdateTheRunsTagsAndSentiment()
    {
        var run = Conversation("live", 0, [Calm]);
        (await Store.Live.TryCreateRunAsync(run, Ct)).ShouldBeTrue();
        (await Ids(new RunQuery { SentimentBelow = 0 })).ShouldBeEmpty();

        var head = run.Events.Count;
        run.Append(new MessageEvent(MessageRole.User, Angry));
        run.Append(new FindingEvent(new Finding("sentiment_turned_negative", FindingSeverity.Medium, "turned", [run.Events.Count], "sentiment")));
        (await Store.Live.CommitAsync(new RunCommit(run, head), Ct)).ShouldBe(RunCommitStatus.Committed);

        (await Ids(new RunQuery { SentimentBelow = 0, Tags = ["sentiment_turned_negative"] })).ShouldBe(["live"]);
        (await Runs.GetRunSummaryAsync("ws-a", "live", Ct))!.CustomerSentiment.ShouldBe(RunListingValues.CustomerSentiment(run));
    }

    [Fact]
    public async Task ListRunsAsync_SavedAndLiveRuns_CarryTheirWorkflowAndCostSoVersionFiguresNeedNoRunRead()
    {
        var saved = Priced("saved", 0, "refunds", RunStatus.Completed, 0.25m, 0.125m);
        await Runs.SaveRunAsync(saved, Ct);
        var live = Priced("live", 1, null, RunStatus.Active, 0.5m);
        (await Store.Live.TryCreateRunAsync(live, Ct)).ShouldBeTrue();
        var head = live.Events.Count;
        live.Append(new MessageEvent(MessageRole.Assistant, "Done.") { Usage = new MessageUsage(20, 0.0625m) });
        live.Status = RunStatus.Failed;
        (await Store.Live.CommitAsync(new RunCommit(live, head), Ct)).ShouldBe(RunCommitStatus.Committed);

        var listing = await Runs.ListRunsAsync("ws-a", 10, Ct);

        listing.Select(r => (r.Id, r.WorkflowClass, r.CostUsd)).ShouldBe([("live", (string?)null, (decimal?)0.5625m), ("saved", "refunds", 0.375m)]);
        (await Runs.GetRunSummaryAsync("ws-a", "saved", Ct)).ShouldBe(listing[1]);
        var figures = await Keel.Versions.VersionFigures.LoadAsync(Runs, "ws-a", ["h1"], Ct);
        figures.Keys.ShouldBe(["h1"]);
        figures["h1"].ShouldBe(Keel.Versions.VersionFigures.Of([saved, live])["h1"]);
        figures["h1"].Select(f => (f.Workflow, f.Ended, f.Succeeded, f.CostUsd)).ShouldBe([("refunds", 1, 1, 0.375m), ("unknown", 1, 0, 0.5625m)]);
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(10_001, 0.0)]
    [InlineData(10, 1.5)]
    [InlineData(10, double.NaN)]
    public async Task QueryRunsAsync_OutOfRange_Throws(int limit, double below)
    {
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => Runs.QueryRunsAsync("ws-a", new RunQuery { Limit = limit, SentimentBelow = below }, Ct));
    }

    private async Task<List<string>> Ids(RunQuery query) => [.. (await Runs.QueryRunsAsync("ws-a", query, Ct)).Runs.Select(r => r.Id)];

    /// <summary>A run served by version <c>h1</c> whose assistant replies reported the costs given (USD).</summary>
    private static Run Priced(string id, int minute, string? workflow, RunStatus status, params decimal[] costs)
    {
        var run = new Run(id, "ws-a", "agent", "v1", SampleRuns.Start.AddMinutes(minute))
        {
            WorkflowClass = workflow,
            Version = new Keel.Versions.VersionAssignment("h1", Keel.Versions.VersionAssignment.Stable, 7),
        };
        foreach (var cost in costs)
        {
            run.Append(new MessageEvent(MessageRole.User, Calm));
            run.Append(new MessageEvent(MessageRole.Assistant, "I see.") { Usage = new MessageUsage(10, cost) });
        }

        run.Status = status;
        return run;
    }

    private static Run Conversation(string id, int minute, string[] customer, params string[] tags) => Conversation(id, minute, customer, tags, "agent", "ws-a");

    private static Run Conversation(string id, int minute, string[] customer, string[] tags, string agent = "agent", string workspaceId = "ws-a")
    {
        var start = SampleRuns.Start.AddMinutes(minute);
        var run = new Run(id, workspaceId, agent, "v1", start);
        foreach (var text in customer)
        {
            run.Append(new MessageEvent(MessageRole.User, text) { Timestamp = start });
            run.Append(new MessageEvent(MessageRole.Assistant, "I see.") { Timestamp = start });
        }

        foreach (var tag in tags)
        {
            run.Append(new FindingEvent(new Finding(tag, FindingSeverity.Info, tag, [1], "test")) { Timestamp = start });
        }

        return run;
    }
}
