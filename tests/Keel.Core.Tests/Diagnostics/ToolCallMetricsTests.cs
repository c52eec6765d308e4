using Keel.Core.Tests.Execution;
using Keel.Core.Tests.Gateway;
using Keel.Diagnostics;
using Keel.Gateway;
using Keel.Model;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Diagnostics;

public sealed class ToolCallMetricsTests
{
    [Fact]
    public async Task ExecuteAsync_DeniedCall_CountsTheDecisionWithItsRuleStageAndFailureClass()
    {
        var kit = new TelemetryKit();
        using var metrics = new MeasurementCollector(GenAiAttributes.ToolName, kit.Refund);

        await TelemetryKit.Standard(new FakeToolExecutor())
            .ExecuteAsync(kit.Context(Call(kit.Refund, """{"order_id": "o1", "amount": 900}"""), kit.NewState()), TestContext.Current.CancellationToken);

        var decision = metrics.Of("keel.tool_call.decisions").ShouldHaveSingleItem();
        decision.Value.ShouldBe(1);
        decision.Unit.ShouldBe("{decision}");
        decision.Tags["keel.decision"].ShouldBe("deny");
        decision.Tags["keel.stage"].ShouldBe("policy");
        decision.Tags["keel.rule_id"].ShouldBe("refund.cap");
        decision.Tags["keel.failure_class"].ShouldBe("policy");
        decision.Tags["keel.mode"].ShouldBe("enforce");
    }

    [Fact]
    public async Task ExecuteAsync_AllowedCall_CountsWithoutRuleOrFailureTags()
    {
        var kit = new TelemetryKit();
        using var metrics = new MeasurementCollector(GenAiAttributes.ToolName, kit.Lookup);

        await TelemetryKit.Standard(new FakeToolExecutor())
            .ExecuteAsync(kit.Context(Call(kit.Lookup, """{"order_id": "o1"}"""), kit.NewState()), TestContext.Current.CancellationToken);

        var decision = metrics.Of("keel.tool_call.decisions").ShouldHaveSingleItem();
        decision.Tags["keel.decision"].ShouldBe("allow");
        decision.Tags.ShouldNotContainKey("keel.rule_id");
        decision.Tags.ShouldNotContainKey("keel.failure_class");
    }

    [Fact]
    public async Task ExecuteAsync_CallTakingAQuarterSecond_RecordsDurationInSeconds()
    {
        var kit = new TelemetryKit();
        using var metrics = new MeasurementCollector(GenAiAttributes.ToolName, kit.Lookup);
        var clock = new ManualTimeProvider();
        var pipeline = new ToolCallPipelineBuilder()
            .Add(new TelemetryStage(timeProvider: clock))
            .Add(new RecordStage())
            .Add(new ProbeStage(clock, TimeSpan.FromMilliseconds(250)))
            .Add(new ExecuteStage(new FakeToolExecutor()))
            .Build();

        await pipeline.ExecuteAsync(kit.Context(Call(kit.Lookup, """{"order_id": "o1"}"""), kit.NewState(), PipelineMode.Audit, new ToolResult("c", ToolResultStatus.Ok, "{}")),
            TestContext.Current.CancellationToken);

        var duration = metrics.Of("keel.tool_call.duration").ShouldHaveSingleItem();
        duration.Unit.ShouldBe("s");
        duration.Value.ShouldBe(0.25);
        duration.Tags["gen_ai.operation.name"].ShouldBe("execute_tool");
        duration.Tags["keel.decision"].ShouldBe("allow");
        duration.Tags["keel.mode"].ShouldBe("audit");
        duration.Tags.ShouldNotContainKey("error.type");
    }

    [Fact]
    public async Task ExecuteAsync_InnerStageThrows_RecordsDurationWithTheExceptionType()
    {
        var kit = new TelemetryKit();
        using var metrics = new MeasurementCollector(GenAiAttributes.ToolName, kit.Lookup);
        var pipeline = new ToolCallPipelineBuilder().Add(new TelemetryStage()).Add(new ProbeStage(toThrow: new TimeoutException("upstream"))).Build();

        await Should.ThrowAsync<TimeoutException>(async () =>
            await pipeline.ExecuteAsync(kit.Context(Call(kit.Lookup, "{}"), kit.NewState()), TestContext.Current.CancellationToken));

        metrics.Of("keel.tool_call.duration").ShouldHaveSingleItem().Tags["error.type"].ShouldBe("System.TimeoutException");
        metrics.Of("keel.tool_call.decisions").ShouldBeEmpty();
    }

    [Fact]
    public async Task ExecuteAsync_HeldForApprovalInEnforceMode_CountsAPendingApprovalUntilResolved()
    {
        var kit = new TelemetryKit();
        using var metrics = new MeasurementCollector(GenAiAttributes.ToolName, kit.Refund);
        var pipeline = TelemetryKit.Standard(new FakeToolExecutor());

        var held = await pipeline.ExecuteAsync(kit.Context(Call(kit.Refund, """{"order_id": "o1", "amount": 200}"""), kit.NewState()), TestContext.Current.CancellationToken);
        KeelDiagnostics.ApprovalResolved(kit.Refund);

        held.Decision.Kind.ShouldBe(DecisionKind.RequireApproval);
        metrics.Of("keel.approvals.pending").Select(m => m.Value).ShouldBe([1d, -1d]);
    }

    [Fact]
    public async Task ExecuteAsync_HeldForApprovalInAuditMode_CountsNoPendingApproval()
    {
        var kit = new TelemetryKit();
        using var metrics = new MeasurementCollector(GenAiAttributes.ToolName, kit.Refund);
        var call = Call(kit.Refund, """{"order_id": "o1", "amount": 200}""");

        var held = await TelemetryKit.Standard(RecordedToolExecutor.Instance)
            .ExecuteAsync(kit.Context(call, kit.NewState(), PipelineMode.Audit, new ToolResult(call.Id, ToolResultStatus.Ok, "{}")), TestContext.Current.CancellationToken);

        held.Decision.Kind.ShouldBe(DecisionKind.RequireApproval);
        metrics.Of("keel.tool_call.decisions").ShouldHaveSingleItem().Tags["keel.decision"].ShouldBe("require_approval");
        metrics.Of("keel.approvals.pending").ShouldBeEmpty();
    }
}
