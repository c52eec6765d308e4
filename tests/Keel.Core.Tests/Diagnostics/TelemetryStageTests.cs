using System.Diagnostics;
using Keel.Core.Tests.Gateway;
using Keel.Diagnostics;
using Keel.Gateway;
using Keel.Model;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Diagnostics;

public sealed class TelemetryStageTests
{
    private const string SecretOrder = "ORD-SECRET-4711";

    [Fact]
    public async Task ExecuteAsync_AllowedCall_EmitsExecuteToolSpanWithGenAiAndKeelAttributes()
    {
        var kit = new TelemetryKit();
        using var spans = new SpanCollector(kit.RunId);
        var call = Call(kit.Lookup, $$"""{"order_id": "{{SecretOrder}}"}""", "call_allowed");

        var outcome = await TelemetryKit.Standard(new FakeToolExecutor()).ExecuteAsync(kit.Context(call, kit.NewState()), TestContext.Current.CancellationToken);

        outcome.Decision.Kind.ShouldBe(DecisionKind.Allow);
        var span = spans.Stopped.ShouldHaveSingleItem();
        span.Source.Name.ShouldBe("Keel");
        span.DisplayName.ShouldBe("execute_tool " + kit.Lookup);
        span.Kind.ShouldBe(ActivityKind.Internal);
        span.Status.ShouldBe(ActivityStatusCode.Unset);
        Tag(span, "gen_ai.operation.name").ShouldBe("execute_tool");
        Tag(span, "gen_ai.tool.name").ShouldBe(kit.Lookup);
        Tag(span, "gen_ai.tool.call.id").ShouldBe("call_allowed");
        Tag(span, "gen_ai.tool.type").ShouldBe("function");
        Tag(span, "gen_ai.tool.description").ShouldBe("Look up an order.");
        Tag(span, "gen_ai.conversation.id").ShouldBe(kit.RunId);
        Tag(span, "gen_ai.agent.name").ShouldBe(kit.Agent.AgentName);
        Tag(span, "gen_ai.agent.version").ShouldBe("1.0.0");
        Tag(span, "keel.decision").ShouldBe("allow");
        Tag(span, "keel.stage").ShouldBe("policy");
        Tag(span, "keel.mode").ShouldBe("enforce");
        Tag(span, "keel.tool.kind").ShouldBe("read");
        span.GetTagItem("keel.rule_id").ShouldBeNull();
        span.GetTagItem("keel.failure_class").ShouldBeNull();
        span.GetTagItem("error.type").ShouldBeNull();
    }

    [Fact]
    public async Task ExecuteAsync_PolicyDenies_SpanCarriesRuleFailureClassAndErrorStatus()
    {
        var kit = new TelemetryKit();
        using var spans = new SpanCollector(kit.RunId);
        var tool = new FakeToolExecutor();

        await TelemetryKit.Standard(tool).ExecuteAsync(kit.Context(Call(kit.Refund, """{"order_id": "o1", "amount": 900}"""), kit.NewState()), TestContext.Current.CancellationToken);

        tool.Attempts.ShouldBe(0);
        var span = spans.Stopped.ShouldHaveSingleItem();
        Tag(span, "keel.decision").ShouldBe("deny");
        Tag(span, "keel.stage").ShouldBe("policy");
        Tag(span, "keel.rule_id").ShouldBe("refund.cap");
        Tag(span, "keel.policy_version").ShouldBe("3");
        Tag(span, "keel.failure_class").ShouldBe("policy");
        Tag(span, "error.type").ShouldBe("policy");
        Tag(span, "keel.tool.kind").ShouldBe("write");
        span.Status.ShouldBe(ActivityStatusCode.Error);
    }

    [Fact]
    public async Task ExecuteAsync_ToolFails_ErrorTypeIsTheFailureClass()
    {
        var kit = new TelemetryKit();
        using var spans = new SpanCollector(kit.RunId);
        var tool = new FakeToolExecutor { FailuresBeforeSuccess = int.MaxValue, Error = "Error: order not found" };

        await TelemetryKit.Standard(tool).ExecuteAsync(kit.Context(Call(kit.Lookup, """{"order_id": "o1"}"""), kit.NewState()), TestContext.Current.CancellationToken);

        var span = spans.Stopped.ShouldHaveSingleItem();
        Tag(span, "keel.decision").ShouldBe("allow");
        Tag(span, "keel.failure_class").ShouldBe("tool_semantic");
        Tag(span, "error.type").ShouldBe("tool_semantic");
        span.Status.ShouldBe(ActivityStatusCode.Error);
    }

    [Fact]
    public async Task ExecuteAsync_DefaultOptions_SpanCarriesNoArgumentsResultOrReason()
    {
        var kit = new TelemetryKit();
        using var spans = new SpanCollector(kit.RunId);
        var tool = new FakeToolExecutor { Output = $$"""{"order_id": "{{SecretOrder}}", "owner": "mia@example.com"}""" };

        await TelemetryKit.Standard(tool).ExecuteAsync(kit.Context(Call(kit.Lookup, $$"""{"order_id": "{{SecretOrder}}"}"""), kit.NewState()), TestContext.Current.CancellationToken);

        var span = spans.Stopped.ShouldHaveSingleItem();
        span.GetTagItem("gen_ai.tool.call.arguments").ShouldBeNull();
        span.GetTagItem("gen_ai.tool.call.result").ShouldBeNull();
        span.GetTagItem("keel.decision.reason").ShouldBeNull();
        span.TagObjects.ShouldAllBe(t => !(t.Value is string && ((string)t.Value).Contains(SecretOrder)));
    }

    [Fact]
    public async Task ExecuteAsync_CaptureContent_SpanCarriesArgumentsResultAndReason()
    {
        var kit = new TelemetryKit();
        using var spans = new SpanCollector(kit.RunId);
        var arguments = $$"""{"order_id": "{{SecretOrder}}"}""";
        var tool = new FakeToolExecutor { Output = """{"status": "shipped"}""" };

        await TelemetryKit.Standard(tool, new TelemetryOptions { CaptureContent = true })
            .ExecuteAsync(kit.Context(Call(kit.Lookup, arguments), kit.NewState()), TestContext.Current.CancellationToken);

        var span = spans.Stopped.ShouldHaveSingleItem();
        Tag(span, "gen_ai.tool.call.arguments").ShouldBe(arguments);
        Tag(span, "gen_ai.tool.call.result").ShouldBe("""{"status": "shipped"}""");
        Tag(span, "keel.decision.reason").ShouldBe("no policy rule objected");
    }

    [Fact]
    public async Task ExecuteAsync_InnerStageThrows_EndsTheSpanWithTheErrorAndRethrows()
    {
        var kit = new TelemetryKit();
        using var spans = new SpanCollector(kit.RunId);
        var pipeline = new ToolCallPipelineBuilder()
            .Add(new TelemetryStage())
            .Add(new RecordStage())
            .Add(new ProbeStage(toThrow: new InvalidOperationException("store unreachable")))
            .Build();

        var thrown = await Should.ThrowAsync<InvalidOperationException>(async () =>
            await pipeline.ExecuteAsync(kit.Context(Call(kit.Lookup, """{"order_id": "o1"}"""), kit.NewState()), TestContext.Current.CancellationToken));

        thrown.Message.ShouldBe("store unreachable");
        var span = spans.Stopped.ShouldHaveSingleItem();
        span.Status.ShouldBe(ActivityStatusCode.Error);
        Tag(span, "error.type").ShouldBe("System.InvalidOperationException");
        span.GetTagItem("keel.decision").ShouldBeNull();
        span.Events.ShouldContain(e => e.Name == "exception");
    }

    [Fact]
    public async Task ExecuteAsync_ListenerThrows_TheCallStillReturnsItsOutcome()
    {
        var kit = new TelemetryKit();
        using var spans = new SpanCollector(kit.RunId);
        using var throwing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == KeelDiagnostics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = a => ThrowIfOurs(a, kit),
            ActivityStopped = a => ThrowIfOurs(a, kit),
        };
        ActivitySource.AddActivityListener(throwing);
        using var measurements = new ThrowingMeterListener(kit.Lookup);

        var outcome = await TelemetryKit.Standard(new FakeToolExecutor())
            .ExecuteAsync(kit.Context(Call(kit.Lookup, """{"order_id": "o1"}"""), kit.NewState()), TestContext.Current.CancellationToken);

        outcome.Decision.Kind.ShouldBe(DecisionKind.Allow);
        outcome.Result.IsSuccess.ShouldBeTrue();
        measurements.Thrown.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void AddStandardStages_Always_PutsTelemetryOutermostThenRecord()
    {
        var stages = new ToolCallPipelineBuilder().AddStandardStages(ExecuteStage.Recorded, WorkspaceId).Build().Stages;

        stages.Select(s => s.Name).Take(2).ShouldBe(["telemetry", "record"]);
    }

    internal static object? Tag(Activity span, string key) => span.GetTagItem(key);

    private static void ThrowIfOurs(Activity activity, TelemetryKit kit)
    {
        if (activity.GetTagItem(GenAiAttributes.ToolName) as string == kit.Lookup)
        {
            throw new InvalidOperationException("a broken exporter");
        }
    }
}
