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
    public async Task ExecuteAsync_RecordedStage_AnswersTheRecordingWithoutRetryOrExecutionEvent()
    {
        // Replay's composition: the recorded executor without a resilience pipeline, so a recorded transient failure of an
        // idempotent tool is neither retried nor counted as an attempt.
        var pipeline = Keel.Composition.KeelComponents.Standard.BuildPipeline(ExecuteStage.Recorded, WorkspaceId);
        var call = Call("get_reservation_details", """{"reservation_id": "ABC123"}""");
        var recorded = ToolResult.Failed(call.Id, ToolErrorKind.Transient, "Error: upstream timeout");
        var state = NewRun();

        var outcome = await pipeline.ExecuteAsync(new ToolCallContext(call, state, Agent(), Clock, PipelineMode.Audit, recorded), TestContext.Current.CancellationToken);

        outcome.Result.ShouldBe(recorded);
        state.Run.Events.OfType<ExecutionEvent>().ShouldBeEmpty();
        outcome.Failure.ShouldNotBeNull().Disposition.ShouldBe(Disposition.Retry);
    }
}
