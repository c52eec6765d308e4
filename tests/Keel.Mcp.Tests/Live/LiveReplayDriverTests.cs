using System.Text.Json;
using Keel.Gateway;
using Keel.Sdk.Api;
using Keel.Mcp.Live;
using Keel.Model;
using Keel.Replay;
using Shouldly;
using Xunit;

namespace Keel.Mcp.Tests.Live;

/// <summary><see cref="LiveReplayDriver"/> against a real Keel server whose upstream answers <c>answer:&lt;call id&gt;</c>.</summary>
public sealed class LiveReplayDriverTests : IAsyncLifetime
{
    private LiveKeelServer _server = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await LiveKeelServer.StartAsync(new AnswerExecutor(), Token);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task ReplayRunAsync_RecordedRun_SendsItsStepsInOrderAndClosesTheRun()
    {
        var run = Run("order",
            new RecordedMessage(MessageRole.System, "You are an airline agent."),
            new RecordedMessage(MessageRole.User, "Cancel reservation ABC123 please."),
            Call("call_1", "get_reservation_details", """{"reservation_id": "ABC123"}"""),
            new RecordedToolCall(new ToolCall("phone_1", "toggle_airplane_mode", "{}"), null, Requestor: "user"),
            new RecordedMessage(MessageRole.Assistant, "Let me look at both."),
            Call("call_2", "get_user_details", """{"user_id": "mia_li_3668"}""", index: 0, count: 2),
            Call("call_3", "get_reservation_details", """{"reservation_id": "XYZ789"}""", index: 1, count: 2));

        var replayed = await new LiveReplayDriver(_server.Client).ReplayRunAsync(run, Token);

        replayed.Completed.ShouldBeTrue(replayed.Error);
        replayed.RunId.ShouldBe("order");
        replayed.MessagesSent.ShouldBe(3);
        replayed.StepsNotSent.ShouldBe(1);
        replayed.Calls.Select(c => (c.StepIndex, c.Outcome.CallId, c.Outcome.Result.Output)).ShouldBe(
            [(2, "call_1", "answer:call_1"), (5, "call_2", "answer:call_2"), (6, "call_3", "answer:call_3")]);
        replayed.Calls.ShouldAllBe(c => c.ReachedUpstream);
        (await _server.Client.GetRunAsync("order", Token)).Status.ShouldBe("completed");
        var events = await _server.Client.ListEventsAsync("order", cancellationToken: Token);
        string[] expected = ["message", "message", "tool_call", "decision", "tool_result", "message", "tool_call", "decision", "tool_result", "tool_call", "decision", "tool_result"];
        events.Select(e => e.Kind).Where(k => k is "message" or "tool_call" or "decision" or "tool_result").ShouldBe(expected);
        var last = events.Last(e => e.Kind == "tool_call").Data.GetProperty("call");
        (last.GetProperty("parallel_index").GetInt32(), last.GetProperty("parallel_count").GetInt32()).ShouldBe((1, 2));
    }

    [Fact]
    public async Task ReplayAsync_TwoRunsReusingCallIds_DecidesAndRunsEveryCallOfBoth()
    {
        RecordedRun[] runs =
        [
            Run("reuse-a", new RecordedMessage(MessageRole.User, "hi"), Call("call_1", "get_reservation_details", """{"reservation_id": "AAA111"}""")),
            Run("reuse-b", new RecordedMessage(MessageRole.User, "hi"), Call("call_1", "get_reservation_details", """{"reservation_id": "BBB222"}""")),
        ];
        var reported = new List<LiveReplayProgress>();

        var result = await new LiveReplayDriver(_server.Client, new LiveReplayOptions { Parallelism = 2 }).ReplayAsync(runs, new SyncProgress(reported.Add), Token);

        result.Runs.Select(r => r.RunId).ShouldBe(["reuse-a", "reuse-b"]);
        result.FailedRuns.ShouldBe(0);
        result.ReachedUpstream.ShouldBe(2);
        var arguments = await Task.WhenAll(runs.Select(async r =>
            (await _server.Client.ListEventsAsync(r.Id, cancellationToken: Token)).Single(e => e.Kind == "tool_call").Data.GetProperty("call").GetProperty("arguments_json").GetString()));
        arguments.ShouldBe(["""{"reservation_id":"AAA111"}""", """{"reservation_id":"BBB222"}"""]);
        reported.Select(p => p.RunsDone).Order().ShouldBe([1, 2]);
        reported.ShouldAllBe(p => p.RunsTotal == 2);
        reported.Max(p => p.CallsDone).ShouldBe(2);
    }

    [Fact]
    public async Task ReplayRunAsync_RunIdTaken_StopsThatRunWithTheServersProblemAndAPrefixReplaysItAgain()
    {
        var run = Run("twice", new RecordedMessage(MessageRole.User, "hi"), Call("call_1", "get_reservation_details", """{"reservation_id": "AAA111"}"""));
        (await new LiveReplayDriver(_server.Client).ReplayRunAsync(run, Token)).Completed.ShouldBeTrue();

        var again = await new LiveReplayDriver(_server.Client).ReplayRunAsync(run, Token);
        var prefixed = await new LiveReplayDriver(_server.Client, new LiveReplayOptions { RunIdPrefix = "pass-2-" }).ReplayRunAsync(run, Token);

        again.Completed.ShouldBeFalse();
        again.Error.ShouldNotBeNull().ShouldContain("HTTP 409");
        again.Calls.ShouldBeEmpty();
        prefixed.Completed.ShouldBeTrue(prefixed.Error);
        prefixed.RunId.ShouldBe("pass-2-twice");
        prefixed.Calls.Single().AnsweredAsRecorded.ShouldBeFalse();
        prefixed.Calls.Single().ReachedUpstream.ShouldBeTrue();
    }

    [Fact]
    public async Task ReplayRunAsync_ArgumentsThatAreNotJson_AreDecidedAsTheAgentSentThem()
    {
        var run = Run("broken", new RecordedMessage(MessageRole.User, "hi"), Call("call_1", "get_reservation_details", """{"reservation_id": "AAA111"""));

        var replayed = await new LiveReplayDriver(_server.Client).ReplayRunAsync(run, Token);

        replayed.Completed.ShouldBeTrue(replayed.Error);
        var outcome = replayed.Calls.Single().Outcome;
        outcome.Decision.Kind.ShouldBe(ApiDecisionKinds.Deny);
        outcome.Decision.Stage.ShouldBe("schema");
        outcome.Result.Status.ShouldBe(ApiToolResult.NotExecuted);
    }

    [Fact]
    public void Constructor_PrefixWithASlash_IsRefusedNamingTheSetting()
    {
        var refused = Should.Throw<ArgumentException>(() => new LiveReplayDriver(_server.Client, new LiveReplayOptions { RunIdPrefix = "pass/" }));

        refused.Message.ShouldStartWith("RunIdPrefix 'pass/' holds a '/'");
    }

    [Fact]
    public void ToApi_ArgumentsObject_SendsTheObjectAndItsParallelPosition()
    {
        var call = LiveReplayDriver.ToApi(new ToolCall("c", "get_user_details", """{"user_id": "u1"}""", 2, 3));

        call.Arguments.ValueKind.ShouldBe(JsonValueKind.Object);
        call.Arguments.GetProperty("user_id").GetString().ShouldBe("u1");
        (call.ParallelIndex, call.ParallelCount).ShouldBe((2, 3));
        LiveReplayDriver.ToApi(new ToolCall("c", "t", "[1]")).Arguments.GetString().ShouldBe("[1]");
    }

    private static RecordedRun Run(string id, params RecordedStep[] steps) => new()
    {
        Id = id,
        Source = new RecordSource("test", 0),
        Domain = "airline",
        StartedAt = LiveKeelServer.DomainTime,
        Steps = steps,
    };

    private static RecordedToolCall Call(string id, string tool, string arguments, int index = 0, int count = 1) =>
        new(new ToolCall(id, tool, arguments, index, count), new ToolResult(id, ToolResultStatus.Ok, "recorded"));

    private sealed class AnswerExecutor : IToolExecutor
    {
        public ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new ToolResult(context.Call.Id, ToolResultStatus.Ok, $"answer:{context.Call.Id}"));
    }

    private sealed class SyncProgress(Action<LiveReplayProgress> report) : IProgress<LiveReplayProgress>
    {
        public void Report(LiveReplayProgress value)
        {
            lock (this)
            {
                report(value);
            }
        }
    }
}
