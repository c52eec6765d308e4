using System.Diagnostics;
using Keel.Core.Tests.Gateway;
using Keel.Diagnostics;
using Keel.Gateway;
using Keel.Model;
using Keel.Replay;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Diagnostics;

public sealed class InvokeAgentTests
{
    [Fact]
    public async Task ReplayAsync_WithAListener_NestsEveryExecuteToolSpanUnderTheRunsInvokeAgentSpan()
    {
        var kit = new TelemetryKit();
        using var spans = new SpanCollector(kit.RunId);

        var replayed = await new ReplayEngine(kit.Agent, WorkspaceId).ReplayAsync(Recorded(kit, 2), TestContext.Current.CancellationToken);

        replayed.Run.Status.ShouldBe(RunStatus.Completed);
        var agent = spans.Single("invoke_agent");
        agent.DisplayName.ShouldBe("invoke_agent " + kit.Agent.AgentName);
        agent.Kind.ShouldBe(ActivityKind.Internal);
        agent.Status.ShouldBe(ActivityStatusCode.Unset);
        agent.GetTagItem("gen_ai.agent.name").ShouldBe(kit.Agent.AgentName);
        agent.GetTagItem("gen_ai.agent.id").ShouldBe(WorkspaceId + "/" + kit.Agent.AgentName);
        agent.GetTagItem("gen_ai.agent.version").ShouldBe("1.0.0");
        agent.GetTagItem("gen_ai.request.model").ShouldBe("test-model");
        agent.GetTagItem("keel.mode").ShouldBe("audit");
        agent.GetTagItem("keel.run.status").ShouldBe("completed");
        agent.GetTagItem("keel.run.failures").ShouldBe(0);
        var tools = spans.Stopped.Where(s => s.GetTagItem("gen_ai.operation.name") as string == "execute_tool").ToList();
        tools.Count.ShouldBe(2);
        tools.ShouldAllBe(t => t.TraceId == agent.TraceId && t.ParentSpanId == agent.SpanId);
        tools.ShouldAllBe(t => (string?)t.GetTagItem("keel.mode") == "audit");
    }

    [Fact]
    public async Task ReplayAsync_RunStoppedByItsBudget_MarksTheSpanAndRecordsTheBudgetUsed()
    {
        var kit = new TelemetryKit(new BudgetLimits(MaxToolCalls: 2, MaxTokens: 1000));
        using var spans = new SpanCollector(kit.RunId);
        using var metrics = new MeasurementCollector(GenAiAttributes.AgentName, kit.Agent.AgentName);

        var replayed = await new ReplayEngine(kit.Agent, WorkspaceId).ReplayAsync(Recorded(kit, 3, tokensPerCall: 100), TestContext.Current.CancellationToken);

        replayed.Run.Status.ShouldBe(RunStatus.Stopped);
        var agent = spans.Single("invoke_agent");
        agent.Status.ShouldBe(ActivityStatusCode.Error);
        agent.GetTagItem("error.type").ShouldBe("stopped");
        agent.GetTagItem("keel.run.status").ShouldBe("stopped");
        var used = metrics.Of("keel.budget.used").ToDictionary(m => (string)m.Tags["keel.budget.kind"]!, m => m.Value);
        used.Keys.ShouldBe(["tool_calls", "tokens"], ignoreOrder: true);
        used["tool_calls"].ShouldBe(1.5);
        used["tokens"].ShouldBe(0.3);
        metrics.Of("keel.budget.used").ShouldAllBe(m => m.Unit == "1");
        var run = metrics.Of("keel.runs").ShouldHaveSingleItem();
        run.Tags["keel.run.status"].ShouldBe("stopped");
        run.Tags["keel.mode"].ShouldBe("audit");
        metrics.Of("keel.run.tool_calls").ShouldHaveSingleItem().Value.ShouldBe(3);
        metrics.Of("keel.run.tokens").ShouldHaveSingleItem().Value.ShouldBe(300);
    }

    [Fact]
    public async Task ReplayAsync_Cancelled_EndsTheInvokeAgentSpanWithTheError()
    {
        var kit = new TelemetryKit();
        using var spans = new SpanCollector(kit.RunId);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(async () => await new ReplayEngine(kit.Agent, WorkspaceId).ReplayAsync(Recorded(kit, 1), cancelled.Token));

        var agent = spans.Single("invoke_agent");
        agent.Status.ShouldBe(ActivityStatusCode.Error);
        agent.GetTagItem("error.type").ShouldBe("System.OperationCanceledException");
        agent.GetTagItem("keel.run.status").ShouldBeNull();
    }

    [Fact]
    public void StartInvokeAgent_WithAListener_IsCurrentUntilStopped()
    {
        var kit = new TelemetryKit();
        using var spans = new SpanCollector(kit.RunId);
        var state = kit.NewState();

        var activity = KeelDiagnostics.StartInvokeAgent(state.Run, kit.Agent, PipelineMode.Enforce);
        var current = Activity.Current;
        KeelDiagnostics.StopInvokeAgent(activity, state, kit.Agent, PipelineMode.Enforce);

        current.ShouldNotBeNull().ShouldBeSameAs(activity);
        Activity.Current.ShouldBeNull();
        spans.Single("invoke_agent").GetTagItem("keel.mode").ShouldBe("enforce");
    }

    [Fact]
    public async Task ExecuteAsync_LiveCallOnAnotherRequest_NestsUnderTheRunsSpanAndLinksTheRequestSpan()
    {
        var kit = new TelemetryKit();
        using var spans = new SpanCollector(kit.RunId);
        var state = kit.NewState();

        // The run starts on one request; a later request, in a trace of its own, carries a call of the same run.
        var runSpan = KeelDiagnostics.StartInvokeAgent(state.Run, kit.Agent, PipelineMode.Enforce);
        Activity.Current = null;
        using (var request = new Activity("POST /runs/{id}/tool-calls").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            await TelemetryKit.Standard(new FakeToolExecutor()).ExecuteAsync(kit.Context(Call(kit.Lookup, """{"order_id": "o1"}"""), state), TestContext.Current.CancellationToken);

            var tool = spans.Single("execute_tool");
            runSpan.ShouldNotBeNull();
            tool.TraceId.ShouldBe(runSpan.TraceId);
            tool.ParentSpanId.ShouldBe(runSpan.SpanId);
            tool.Links.ShouldHaveSingleItem().Context.SpanId.ShouldBe(request.SpanId);
        }

        KeelDiagnostics.StopInvokeAgent(runSpan, state, kit.Agent, PipelineMode.Enforce);
    }

    private static RecordedRun Recorded(TelemetryKit kit, int calls, long tokensPerCall = 0)
    {
        var steps = new List<RecordedStep> { new RecordedMessage(MessageRole.User, "Where is my order o1?") };
        for (var i = 0; i < calls; i++)
        {
            var call = new ToolCall($"call_{i}", kit.Lookup, """{"order_id": "o1"}""");
            steps.Add(new RecordedToolCall(call, new ToolResult(call.Id, ToolResultStatus.Ok, $$"""{"status": "shipped", "n": {{i}}}""")) { Usage = new ModelUsage(tokensPerCall, 0) });
        }

        return new RecordedRun { Id = kit.RunId, Source = new RecordSource("test.json", 0), StartedAt = Clock, Steps = steps };
    }
}
