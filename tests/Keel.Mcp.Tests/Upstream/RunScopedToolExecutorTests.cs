using Keel.Gateway;
using Keel.Mcp.Upstream;
using Keel.Model;
using Shouldly;
using Xunit;

namespace Keel.Mcp.Tests.Upstream;

/// <summary>RunScopedToolExecutor: one executor per run, disposed once the run is closed.</summary>
public sealed class RunScopedToolExecutorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExecuteAsync_TauToolsPerRun_EachRunSeesItsOwnFreshDatabase()
    {
        await using var executor = RunScopedToolExecutor.ForUpstreams([Live.LiveKeelServer.TauTools()]);
        var first = NewRun("run-a");
        var second = NewRun("run-b");

        (await executor.ExecuteAsync(Context(first, "cancel_reservation", """{"reservation_id": "YAX4DR"}"""), Token)).Status.ShouldBe(ToolResultStatus.Ok);
        var inFirst = await executor.ExecuteAsync(Context(first, "get_reservation_details", """{"reservation_id": "YAX4DR"}"""), Token);
        var inSecond = await executor.ExecuteAsync(Context(second, "get_reservation_details", """{"reservation_id": "YAX4DR"}"""), Token);

        inFirst.Output.ShouldContain("\"status\": \"cancelled\"");
        inSecond.Status.ShouldBe(ToolResultStatus.Ok);
        inSecond.Output.ShouldNotContain("cancelled");
        executor.OpenRuns.ShouldBe(2);
    }

    [Fact]
    public async Task ExecuteAsync_ARunWasClosed_ItsExecutorIsDisposedWhenAnotherRunStarts()
    {
        var created = new List<FakeExecutor>();
        await using var executor = new RunScopedToolExecutor((run, _) => ValueTask.FromResult<IToolExecutor>(Add(created, new FakeExecutor(run.Id))));
        var closed = NewRun("closed");
        var open = NewRun("open");
        await executor.ExecuteAsync(Context(closed, "think", "{}"), Token);
        await executor.ExecuteAsync(Context(open, "think", "{}"), Token);
        (await executor.ExecuteAsync(Context(closed, "think", "{}"), Token)).Output.ShouldBe("closed#2");

        closed.Status = RunStatus.Completed;
        await executor.ExecuteAsync(Context(NewRun("next"), "think", "{}"), Token);

        created.Select(e => (e.RunId, e.Disposed)).ShouldBe([("closed", true), ("open", false), ("next", false)]);
        executor.OpenRuns.ShouldBe(2);
    }

    [Fact]
    public async Task ExecuteAsync_MoreOpenRunsThanTheLimit_AnswersAnErrorWithoutRunningUntilOneCloses()
    {
        await using var executor = new RunScopedToolExecutor((run, _) => ValueTask.FromResult<IToolExecutor>(new FakeExecutor(run.Id)), maxOpenRuns: 1);
        var first = NewRun("first");
        await executor.ExecuteAsync(Context(first, "think", "{}"), Token);

        var refused = await executor.ExecuteAsync(Context(NewRun("second"), "think", "{}"), Token);
        first.Status = RunStatus.HandedOff;
        var admitted = await executor.ExecuteAsync(Context(NewRun("second"), "think", "{}"), Token);

        refused.Status.ShouldBe(ToolResultStatus.Error);
        refused.Output.ShouldBe("Error: no upstream tool server for this run: 1 runs already hold their own (the limit); close finished runs");
        admitted.Output.ShouldBe("second#1");
    }

    [Fact]
    public async Task ExecuteAsync_CreatingTheExecutorFailed_TheRunsNextCallTriesAgain()
    {
        var attempts = 0;
        await using var executor = new RunScopedToolExecutor((run, _) => ++attempts == 1
            ? throw new InvalidOperationException("cannot start")
            : ValueTask.FromResult<IToolExecutor>(new FakeExecutor(run.Id)));
        var run = NewRun("retry");

        await Should.ThrowAsync<InvalidOperationException>(async () => await executor.ExecuteAsync(Context(run, "think", "{}"), Token));
        var second = await executor.ExecuteAsync(Context(run, "think", "{}"), Token);

        second.Output.ShouldBe("retry#1");
        attempts.ShouldBe(2);
    }

    [Fact]
    public async Task DisposeAsync_OpenRuns_DisposesEveryRunsExecutor()
    {
        var created = new List<FakeExecutor>();
        var executor = new RunScopedToolExecutor((run, _) => ValueTask.FromResult<IToolExecutor>(Add(created, new FakeExecutor(run.Id))));
        await executor.ExecuteAsync(Context(NewRun("a"), "think", "{}"), Token);
        await executor.ExecuteAsync(Context(NewRun("b"), "think", "{}"), Token);
        (await executor.ReleaseAsync("acme", "a")).ShouldBeTrue();

        await executor.DisposeAsync();

        created.ShouldAllBe(e => e.Disposed);
        await Should.ThrowAsync<ObjectDisposedException>(async () => await executor.ExecuteAsync(Context(NewRun("c"), "think", "{}"), Token));
    }

    private static FakeExecutor Add(List<FakeExecutor> list, FakeExecutor executor)
    {
        lock (list)
        {
            list.Add(executor);
        }

        return executor;
    }

    private static Run NewRun(string id) => new(id, "acme", TauUpstream.Agent.AgentName, TauUpstream.Agent.Version, new DateTimeOffset(2024, 5, 15, 15, 0, 0, TimeSpan.FromHours(-5)));

    private static ToolCallContext Context(Run run, string tool, string arguments) =>
        new(new ToolCall($"call_{Guid.NewGuid():N}", tool, arguments), new RunState(run), TauUpstream.Agent, run.StartedAt, PipelineMode.Enforce);

    /// <summary>Answers "&lt;run id&gt;#&lt;how many calls it has served&gt;".</summary>
    private sealed class FakeExecutor(string runId) : IToolExecutor, IAsyncDisposable
    {
        private int _calls;

        public string RunId { get; } = runId;

        public bool Disposed { get; private set; }

        public ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new ToolResult(context.Call.Id, ToolResultStatus.Ok, $"{RunId}#{Interlocked.Increment(ref _calls)}"));

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
