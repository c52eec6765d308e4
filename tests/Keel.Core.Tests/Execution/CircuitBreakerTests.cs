using Keel.Gateway;
using Keel.Model;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Execution.ExecutionKit;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Execution;

/// <summary>One circuit breaker per tool: it opens on transient failures, refuses calls without calling the tool, lets a probe
/// through after the break and closes when the probe succeeds.</summary>
public sealed class CircuitBreakerTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    /// <summary>Opens when half of at least 2 calls in 30 s fail transiently; stays open 15 s; no retries, so calls and attempts match.</summary>
    private static readonly Keel.Execution.ExecutionOptions Breaker = Plain with
    {
        MaxRetries = 0,
        CircuitFailureRatio = 0.5,
        CircuitMinimumThroughput = 2,
        CircuitSamplingDuration = TimeSpan.FromSeconds(30),
        CircuitBreakDuration = TimeSpan.FromSeconds(15),
    };

    /// <summary>Two calls of the write that fail transiently: under <see cref="Breaker"/> they open its circuit for 15 s.</summary>
    private static async Task OpenCircuitAsync(ManualTimeProvider clock, ToolCallPipeline pipeline, RunState state)
    {
        await EnforceAsync(clock, pipeline, state, Call(Write, "R1"), cancellationToken: Ct);
        await EnforceAsync(clock, pipeline, state, Call(Write, "R2"), cancellationToken: Ct);
    }

    [Fact]
    public async Task ExecuteAsync_TransientFailuresReachTheThreshold_CircuitOpensAndRefusesWithoutCallingTheTool()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Fail("503 Service Unavailable"));
        var pipeline = Pipeline(tool, Breaker, clock);
        var state = NewRun();
        await OpenCircuitAsync(clock, pipeline, state);

        var refused = await EnforceAsync(clock, pipeline, state, Call(Write, "R3"), cancellationToken: Ct);

        tool.Attempts.ShouldBe(2);
        refused.Succeeded.ShouldBeFalse();
        refused.Result.Status.ShouldBe(ToolResultStatus.Error);
        refused.Result.Output.ShouldContain("cancel_reservation is temporarily unavailable: its circuit is open until 2024-05-15T20:00:15Z");
        var failure = refused.Failure.ShouldNotBeNull();
        failure.Class.ShouldBe(FailureClass.ToolTransient);
        failure.Disposition.ShouldBe(Disposition.SafeStop);
        var open = Executions(state)[^1];
        open.Outcome.ShouldBe(ExecutionOutcome.CircuitOpen);
        open.CallId.ShouldBe(refused.Result.CallId);
        open.DurationMs.ShouldBe(0);
    }

    [Fact]
    public async Task ExecuteAsync_BreakDurationPasses_HalfOpenProbeIsCalledAndItsSuccessClosesTheCircuit()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Fail("503 Service Unavailable"), ScriptedExecutor.Fail("503 Service Unavailable"), ScriptedExecutor.Ok);
        var pipeline = Pipeline(tool, Breaker, clock);
        var state = NewRun();
        await OpenCircuitAsync(clock, pipeline, state);
        clock.Advance(TimeSpan.FromSeconds(14));
        (await EnforceAsync(clock, pipeline, state, Call(Write, "R3"), cancellationToken: Ct)).Failure.ShouldNotBeNull().Disposition.ShouldBe(Disposition.SafeStop);
        tool.Attempts.ShouldBe(2);

        clock.Advance(TimeSpan.FromSeconds(1));
        var probe = await EnforceAsync(clock, pipeline, state, Call(Write, "R4"), cancellationToken: Ct);
        var after = await EnforceAsync(clock, pipeline, state, Call(Write, "R5"), cancellationToken: Ct);

        probe.Succeeded.ShouldBeTrue();
        after.Succeeded.ShouldBeTrue();
        tool.Attempts.ShouldBe(4);
        Steps(state).ShouldBe(["error@1", "error@1", "circuit_open@1", "success@1", "success@1"]);
    }

    [Fact]
    public async Task ExecuteAsync_HalfOpenProbeFails_CircuitOpensAgain()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Fail("503 Service Unavailable"));
        var pipeline = Pipeline(tool, Breaker, clock);
        var state = NewRun();
        await OpenCircuitAsync(clock, pipeline, state);
        clock.Advance(TimeSpan.FromSeconds(15));

        await EnforceAsync(clock, pipeline, state, Call(Write, "R3"), cancellationToken: Ct);
        var refused = await EnforceAsync(clock, pipeline, state, Call(Write, "R4"), cancellationToken: Ct);

        tool.Attempts.ShouldBe(3);
        Executions(state)[^1].Outcome.ShouldBe(ExecutionOutcome.CircuitOpen);
        refused.Result.Output.ShouldContain("until 2024-05-15T20:00:30Z");
    }

    [Fact]
    public async Task ExecuteAsync_OneToolsCircuitIsOpen_AnotherToolIsStillCalled()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Fail("503 Service Unavailable"), ScriptedExecutor.Fail("503 Service Unavailable"), ScriptedExecutor.Ok);
        var pipeline = Pipeline(tool, Breaker, clock);
        var state = NewRun();
        await OpenCircuitAsync(clock, pipeline, state);

        var other = await EnforceAsync(clock, pipeline, state, Call(Read, "R1"), cancellationToken: Ct);
        var refused = await EnforceAsync(clock, pipeline, state, Call(Write, "R3"), cancellationToken: Ct);

        other.Succeeded.ShouldBeTrue();
        tool.AttemptsOf(Read).ShouldBe(1);
        tool.AttemptsOf(Write).ShouldBe(2);
        refused.Result.Output.ShouldContain("circuit is open");
    }

    [Fact]
    public async Task ExecuteAsync_ToolRefusesForBusinessReasons_CircuitStaysClosed()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Fail("Error: reservation not found"));
        var pipeline = Pipeline(tool, Breaker, clock);
        var state = NewRun();

        for (var i = 1; i <= 4; i++)
        {
            var outcome = await EnforceAsync(clock, pipeline, state, Call(Write, $"R{i}"), cancellationToken: Ct);
            outcome.Failure.ShouldNotBeNull().Class.ShouldBe(FailureClass.ToolSemantic);
        }

        tool.Attempts.ShouldBe(4);
        Executions(state).ShouldNotContain(e => e.Outcome == ExecutionOutcome.CircuitOpen);
    }

    [Fact]
    public async Task ExecuteAsync_CircuitOpensBetweenRetries_NextRetryIsRefusedWithoutCallingTheTool()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Fail("Error: upstream timeout"));
        var pipeline = Pipeline(tool, Breaker with { MaxRetries = 3 }, clock);
        var state = NewRun();

        var outcome = await EnforceAsync(clock, pipeline, state, Call(Read), cancellationToken: Ct);

        tool.Attempts.ShouldBe(2);
        Steps(state).ShouldBe(["error@1", "retry_scheduled@2", "error@2", "retry_scheduled@3", "circuit_open@3"]);
        outcome.Failure.ShouldNotBeNull().RetryCount.ShouldBe(2);
    }
}
