using Keel.Failures;
using Keel.Gateway;
using Keel.Model;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Execution.ExecutionKit;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Execution;

/// <summary>Retries in enforce mode: only transient failures of idempotent tools, bounded, with exponential backoff on the
/// gateway's clock, each attempt recorded as an execution event.</summary>
public sealed class RetryTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExecuteAsync_IdempotentReadFailsTransientlyTwice_RetriesWithGrowingJitteredBackoffAndSucceeds()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Fail("503 Service Unavailable"), ScriptedExecutor.Fail("Error: rate limit exceeded"), ScriptedExecutor.Ok);
        var state = NewRun();
        var options = Plain with { UseJitter = true, BaseDelay = TimeSpan.FromMilliseconds(1000), MaxDelay = TimeSpan.FromSeconds(10) };

        var outcome = await EnforceAsync(clock, Pipeline(tool, options, clock), state, Call(Read), cancellationToken: Ct);

        outcome.Succeeded.ShouldBeTrue();
        outcome.Failure.ShouldBeNull();
        tool.Attempts.ShouldBe(3);
        Steps(state).ShouldBe(["error@1", "retry_scheduled@2", "error@2", "retry_scheduled@3", "success@3"]);
        var delays = Executions(state).Where(e => e.Outcome == ExecutionOutcome.RetryScheduled).Select(e => e.DelayMs!.Value).ToArray();
        // Equal jitter: retry n waits in [c / 2, c) with c = 1000 ms × 2^(n−1), so the ranges do not overlap and each wait is longer.
        delays[0].ShouldBeInRange(500, 1000);
        delays[1].ShouldBeInRange(1000, 2000);
        // The clock moved by the scheduled delays (each waited in whole milliseconds): the pipeline really waited for them.
        (clock.GetUtcNow() - new ManualTimeProvider().GetUtcNow()).TotalMilliseconds.ShouldBe(delays.Sum(), delays.Length);
    }

    [Fact]
    public async Task ExecuteAsync_ExecutorTypesTheErrorTransient_RetriesWhateverTheText()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Fail(ToolErrorKind.Transient, "Error: upstream 'tau' went away"), ScriptedExecutor.Ok);

        var outcome = await EnforceAsync(clock, Pipeline(tool, Plain, clock), NewRun(), Call(Read), cancellationToken: Ct);

        outcome.Succeeded.ShouldBeTrue();
        tool.Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task ExecuteAsync_ExecutorTypesTheErrorSemantic_NeverRetriesEvenIfTheTextSoundsTransient()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Fail(ToolErrorKind.Semantic, "Error: 503 Service Unavailable is not a valid cabin"), ScriptedExecutor.Ok);

        var outcome = await EnforceAsync(clock, Pipeline(tool, Plain, clock), NewRun(), Call(Read), cancellationToken: Ct);

        tool.Attempts.ShouldBe(1);
        outcome.Failure.ShouldNotBeNull().Class.ShouldBe(FailureClass.ToolSemantic);
    }

    [Fact]
    public async Task ExecuteAsync_NoJitter_DelaysDoubleUntilTheMaxDelayCap()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Fail("Error: upstream timeout"));
        var state = NewRun();
        var options = Plain with { MaxRetries = 4, BaseDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromMilliseconds(500) };

        await EnforceAsync(clock, Pipeline(tool, options, clock), state, Call(Read), cancellationToken: Ct);

        Executions(state).Where(e => e.Outcome == ExecutionOutcome.RetryScheduled).Select(e => e.DelayMs).ShouldBe([200.0, 400.0, 500.0, 500.0]);
    }

    [Fact]
    public async Task ExecuteAsync_NonIdempotentWriteTimesOut_ReportsOutcomeUnknownAndEscalatesNeverSuccess()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Hang, ScriptedExecutor.Ok);
        var state = NewRun();

        var outcome = await EnforceAsync(clock, Pipeline(tool, Plain, clock), state, Call(Write), cancellationToken: Ct);

        tool.Attempts.ShouldBe(1);
        outcome.Succeeded.ShouldBeFalse();
        outcome.Result.Status.ShouldBe(ToolResultStatus.Error);
        outcome.Result.Output.ShouldContain(FailureClassifier.OutcomeUnknown);
        outcome.Result.Output.ShouldContain("timed out after 10000 ms");
        var failure = outcome.Failure.ShouldNotBeNull();
        failure.Class.ShouldBe(FailureClass.ToolTransient);
        failure.Disposition.ShouldBe(Disposition.Escalate);
        failure.HandoffTarget.ShouldBe(Team);
        failure.Message.ShouldContain(FailureClassifier.OutcomeUnknown);
        var timeout = Executions(state).ShouldHaveSingleItem();
        timeout.Outcome.ShouldBe(ExecutionOutcome.Timeout);
        timeout.DurationMs.ShouldBe(10_000);
        state.Run.Events.OfType<ToolResultEvent>().ShouldHaveSingleItem().Result.IsSuccess.ShouldBeFalse();
        state.Run.Failures.ShouldHaveSingleItem().Disposition.ShouldBe(Disposition.Escalate);
    }

    [Fact]
    public async Task ExecuteAsync_IdempotentWriteTimesOutOnce_IsRetriedAndSucceeds()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Hang, ScriptedExecutor.Ok);
        var state = NewRun();

        var outcome = await EnforceAsync(clock, Pipeline(tool, Plain, clock), state, Call(IdempotentWrite), cancellationToken: Ct);

        outcome.Succeeded.ShouldBeTrue();
        outcome.Failure.ShouldBeNull();
        tool.Attempts.ShouldBe(2);
        Steps(state).ShouldBe(["timeout@1", "retry_scheduled@2", "success@2"]);
        Executions(state)[1].DelayMs.ShouldBe(200);
    }

    [Fact]
    public async Task ExecuteAsync_IdempotentReadTimesOutEveryAttempt_GivesUpWithinTheWorstCaseBound()
    {
        var clock = new ManualTimeProvider();
        var started = clock.GetUtcNow();
        var tool = new ScriptedExecutor(ScriptedExecutor.Hang);
        var state = NewRun();

        var outcome = await EnforceAsync(clock, Pipeline(tool, Plain, clock), state, Call(Read), cancellationToken: Ct);

        tool.Attempts.ShouldBe(3);
        Steps(state).ShouldBe(["timeout@1", "retry_scheduled@2", "timeout@2", "retry_scheduled@3", "timeout@3"]);
        // 3 × 10 000 ms + 200 ms + 400 ms: every attempt timed out and every delay ran in full.
        (clock.GetUtcNow() - started).ShouldBe(Plain.MaxExecutionTime);
        Plain.MaxExecutionTime.ShouldBe(TimeSpan.FromMilliseconds(30_600));
        outcome.Result.Status.ShouldBe(ToolResultStatus.Error);
        outcome.Result.Output.ShouldNotContain(FailureClassifier.OutcomeUnknown);
        var failure = outcome.Failure.ShouldNotBeNull();
        failure.Disposition.ShouldBe(Disposition.Escalate);
        failure.RetryCount.ShouldBe(2);
    }

    [Fact]
    public async Task ExecuteAsync_NoSchemaStageSetsTheTool_RetriedReadIsReportedAsRetriedNotAsAnUnknownWrite()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Hang);
        var pipeline = new ToolCallPipelineBuilder().Add(new RecordStage()).Add(new ExecuteStage(tool, Plain, clock)).Build();

        var outcome = await EnforceAsync(clock, pipeline, NewRun(), Call(Read), cancellationToken: Ct);

        tool.Attempts.ShouldBe(3);
        outcome.Result.Output.ShouldBe("Error: get_reservation_details timed out after 10000 ms, still after 2 retries.");
        outcome.Failure.ShouldNotBeNull().Message.ShouldNotContain(FailureClassifier.OutcomeUnknown);
    }

    [Fact]
    public async Task ExecuteAsync_ExecutorIgnoresItsToken_AttemptIsStillAbandonedAtTheTimeout()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.HangIgnoringToken);
        var state = NewRun();

        var outcome = await EnforceAsync(clock, Pipeline(tool, Plain, clock), state, Call(Write), cancellationToken: Ct);

        outcome.Result.Output.ShouldContain(FailureClassifier.OutcomeUnknown);
        Executions(state).ShouldHaveSingleItem().Outcome.ShouldBe(ExecutionOutcome.Timeout);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task ExecuteAsync_ToolAlwaysFailsTransiently_AttemptsNeverExceedMaxRetriesPlusOne(int maxRetries)
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Fail("HTTP 503 Service Unavailable"));
        var state = NewRun();

        var outcome = await EnforceAsync(clock, Pipeline(tool, Plain with { MaxRetries = maxRetries }, clock), state, Call(Read), cancellationToken: Ct);

        tool.Attempts.ShouldBe(maxRetries + 1);
        Executions(state).Count(e => e.Outcome == ExecutionOutcome.Error).ShouldBe(maxRetries + 1);
        Executions(state).Count(e => e.Outcome == ExecutionOutcome.RetryScheduled).ShouldBe(maxRetries);
        outcome.Failure.ShouldNotBeNull().RetryCount.ShouldBe(maxRetries);
    }

    [Fact]
    public async Task ExecuteAsync_ExecutorThrows_BecomesAnErrorThatCarriesNoExceptionMessage()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Throw(new InvalidOperationException("connect to db://admin:hunter2@10.0.0.5 failed")));
        var state = NewRun();

        var outcome = await EnforceAsync(clock, Pipeline(tool, Plain, clock), state, Call(Read), cancellationToken: Ct);

        tool.Attempts.ShouldBe(1); // not transient: an idempotent read is not retried either
        outcome.Result.Status.ShouldBe(ToolResultStatus.Error);
        outcome.Result.Output.ShouldContain("InvalidOperationException");
        outcome.Failure.ShouldNotBeNull().Disposition.ShouldBe(Disposition.Escalate);
        var everything = string.Join('\n', state.Run.Events.Select(Keel.Storage.RunEventJson.Serialize)) + outcome.Failure.Message;
        everything.ShouldNotContain("hunter2");
    }

    [Fact]
    public async Task ExecuteAsync_ExecutorRaisesHttpRequestExceptionOnce_IdempotentReadIsRetried()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Throw(new HttpRequestException("token=abc", null, System.Net.HttpStatusCode.BadGateway)), ScriptedExecutor.Ok);
        var state = NewRun();

        var outcome = await EnforceAsync(clock, Pipeline(tool, Plain, clock), state, Call(Read), cancellationToken: Ct);

        outcome.Succeeded.ShouldBeTrue();
        Steps(state).ShouldBe(["error@1", "retry_scheduled@2", "success@2"]);
        Executions(state)[0].Detail.ShouldBe("the executor raised HttpRequestException (HTTP 502)");
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancelsDuringBackoff_CancellationPropagatesAndNoFurtherAttempt()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Fail("Error: upstream timeout"), ScriptedExecutor.Ok);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var work = Start(Pipeline(tool, Plain, clock), NewRun(), Call(Read), cancellationToken: cancellation.Token);
        await clock.WhenArmedAsync(); // the pipeline waits for its first backoff delay
        await cancellation.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(work);
        tool.Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancelsDuringAnAttempt_CancellationPropagatesNotATimeout()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Hang);
        var state = NewRun();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var work = Start(Pipeline(tool, Plain, clock), state, Call(Read), cancellationToken: cancellation.Token);
        await clock.WhenArmedAsync(); // the attempt's timeout is armed: the tool is being called
        await cancellation.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(work);
        tool.Attempts.ShouldBe(1);
        Executions(state).ShouldBeEmpty();
    }
}
