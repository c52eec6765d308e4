using Keel.Gateway;
using Keel.Model;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Gateway;

/// <summary>Execute in enforce mode: only transient failures of idempotent tools are retried, and only a bounded number of times.</summary>
public sealed class ExecuteStageTests
{
    private const string Flights = """{"reservation_id": "ABC123", "cabin": "economy", "payment_id": "credit_card_1", "flights": [{"flight_number": "HAT001", "date": "2024-05-20"}]}""";

    [Fact]
    public async Task ExecuteAsync_IdempotentToolFailsTransientlyTwice_RetriesUntilItSucceeds()
    {
        var tool = new FakeToolExecutor { FailuresBeforeSuccess = 2, Error = "Error: upstream timeout" };

        var outcome = await EnforceAsync(Pipeline(tool, maxRetries: 2), NewRun(), Agent(), Call("update_reservation_flights", Flights));

        tool.Attempts.ShouldBe(3);
        outcome.Succeeded.ShouldBeTrue();
        outcome.Decision.Kind.ShouldBe(DecisionKind.Allow);
        outcome.Failure.ShouldBeNull();
    }

    [Fact]
    public async Task ExecuteAsync_IdempotentToolKeepsFailing_StopsAfterMaxRetriesAndCountsThem()
    {
        var tool = new FakeToolExecutor { FailuresBeforeSuccess = int.MaxValue, Error = "503 Service Unavailable" };
        var state = NewRun();

        var outcome = await EnforceAsync(Pipeline(tool, maxRetries: 3), state, Agent(), Call("get_reservation_details", """{"reservation_id": "ABC123"}"""));

        tool.Attempts.ShouldBe(4);
        outcome.Result.Status.ShouldBe(ToolResultStatus.Error);
        var failure = outcome.Failure.ShouldNotBeNull();
        failure.Class.ShouldBe(FailureClass.ToolTransient);
        failure.RetryCount.ShouldBe(3);
        state.Run.Failures.ShouldHaveSingleItem().RetryCount.ShouldBe(3);
    }

    [Fact]
    public async Task ExecuteAsync_RetriesExhausted_DispositionIsNoLongerRetry()
    {
        var tool = new FakeToolExecutor { FailuresBeforeSuccess = int.MaxValue, Error = "Error: upstream timeout" };

        var outcome = await EnforceAsync(Pipeline(tool, maxRetries: 2), NewRun(), Agent(), Call("get_reservation_details", """{"reservation_id": "ABC123"}"""));

        outcome.Failure.ShouldNotBeNull().Disposition.ShouldNotBe(Disposition.Retry);
    }

    [Fact]
    public async Task ExecuteAsync_NonIdempotentToolFailsTransiently_IsNeverRetried()
    {
        var tool = new FakeToolExecutor { FailuresBeforeSuccess = 1, Error = "Error: connection reset by peer" };

        var outcome = await EnforceAsync(Pipeline(tool, maxRetries: 5), NewRun(), Agent(), Call("cancel_reservation", """{"reservation_id": "ABC123"}"""));

        tool.Attempts.ShouldBe(1);
        outcome.Result.Status.ShouldBe(ToolResultStatus.Error);
        var failure = outcome.Failure.ShouldNotBeNull();
        failure.Class.ShouldBe(FailureClass.ToolTransient);
        failure.Disposition.ShouldBe(Disposition.Escalate);
        failure.RetryCount.ShouldBe(0);
    }

    [Fact]
    public async Task ExecuteAsync_IdempotentToolRefusesForABusinessReason_IsNotRetried()
    {
        var tool = new FakeToolExecutor { FailuresBeforeSuccess = 1, Error = "Error: not enough seats on flight HAT001" };

        var outcome = await EnforceAsync(Pipeline(tool, maxRetries: 5), NewRun(), Agent(), Call("update_reservation_flights", Flights));

        tool.Attempts.ShouldBe(1);
        outcome.Failure.ShouldNotBeNull().Class.ShouldBe(FailureClass.ToolSemantic);
    }

    [Fact]
    public async Task ExecuteAsync_AuditMode_NeverRetriesEvenAnIdempotentTool()
    {
        var tool = new FakeToolExecutor { FailuresBeforeSuccess = 1, Error = "Error: upstream timeout" };
        var pipeline = Pipeline(tool, maxRetries: 5);
        var call = Call("get_reservation_details", """{"reservation_id": "ABC123"}""");

        var outcome = await pipeline.ExecuteAsync(new ToolCallContext(call, NewRun(), Agent(), Clock, PipelineMode.Audit), TestContext.Current.CancellationToken);

        tool.Attempts.ShouldBe(1);
        outcome.Failure.ShouldNotBeNull().Disposition.ShouldBe(Disposition.Retry);
    }

    [Fact]
    public async Task ExecuteAsync_Backoff_WaitsOnTheGivenClockWithinTheExponentialCeiling()
    {
        var clock = new RecordingTimeProvider();
        var tool = new FakeToolExecutor { FailuresBeforeSuccess = 3, Error = "Error: rate limit exceeded" };
        var pipeline = new ToolCallPipelineBuilder()
            .Add(new RecordStage())
            .Add(new SchemaStage())
            .Add(new ResultCheckStage())
            .Add(new ExecuteStage(tool, maxRetries: 3, TimeSpan.FromSeconds(10), clock))
            .Build();

        var outcome = await pipeline.ExecuteAsync(
            new ToolCallContext(Call("get_reservation_details", """{"reservation_id": "ABC123"}"""), NewRun(), Agent(), Clock, PipelineMode.Enforce),
            TestContext.Current.CancellationToken);

        outcome.Succeeded.ShouldBeTrue();
        tool.Attempts.ShouldBe(4);
        // Full jitter: retry n (0-based) waits a random time in [0, base * 2^n) on the given clock.
        clock.Delays.Count.ShouldBe(3);
        for (var n = 0; n < 3; n++)
        {
            clock.Delays[n].ShouldBeLessThan(TimeSpan.FromSeconds(10 * Math.Pow(2, n)));
        }
    }

    /// <summary>A clock whose timers fire at once and remember their due times, so backoff never really waits.</summary>
    private sealed class RecordingTimeProvider : TimeProvider
    {
        private readonly Lock _lock = new();

        public List<TimeSpan> Delays { get; } = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_lock)
            {
                Delays.Add(dueTime);
            }

            ThreadPool.QueueUserWorkItem(_ => callback(state));
            return new FiredTimer();
        }

        private sealed class FiredTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
