using System.Net.Http.Json;
using Keel.Composition;
using Keel.Failures;
using Keel.Gateway;
using Keel.Model;
using Keel.Monitors;
using Keel.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Server.Tests;

/// <summary>A plugin given to the server (<see cref="KeelServerOptions.Plugins"/>) reaches live traffic: its stage decides the
/// agent's calls through the API and its monitor watches the live run, as they do in replay.</summary>
public sealed class PluginTests
{
    [Fact]
    public async Task ProposeToolCall_PluginStageAndMonitor_DecideAndWatchTheLiveRun()
    {
        await using var gateway = await new TestGateway(o => o.Plugins.Add(new RefuseRefundsPlugin())).StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync("plugin-1");

        var read = await agent.ProposeOkAsync(run, "c1", "get_order", new { order_id = "12" });
        var refund = await agent.ProposeOkAsync(run, "c2", "refund_order", new { order_id = "12", amount = 20 });
        (await agent.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role = "user", content = "thanks" }, TestGateway.Json)).EnsureSuccessStatusCode();

        read.DecisionKind().ShouldBe("allow");
        refund.DecisionKind().ShouldBe("deny");
        refund.GetProperty("decision").GetProperty("stage").GetString().ShouldBe(RefuseRefundsPlugin.StageName);
        gateway.Upstream.Count("refund_order").ShouldBe(0);
        var stored = (await gateway.Services.GetRequiredService<IRunStore>().GetRunAsync("default", run, TestContext.Current.CancellationToken)).ShouldNotBeNull();
        stored.Events.OfType<FindingEvent>().Count(f => f.Finding.Type == RefuseRefundsPlugin.FindingType).ShouldBe(2);
    }

    private sealed class RefuseRefundsPlugin : IKeelPlugin
    {
        public const string StageName = "test_refuse_refunds";
        public const string FindingType = "test_tool_call_seen";

        public void Configure(KeelBuilder keel) => keel.AddStage(new Stage()).AddMonitor(new Monitor());

        private sealed class Stage : IToolCallStage
        {
            public string Name => StageName;

            public ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
            {
                if (context.Call.ToolName != "refund_order")
                {
                    return next(context, cancellationToken);
                }

                var decision = new Decision(DecisionKind.Deny, Name, "test.refuse_refunds", null, "refunds go to a person");
                return ValueTask.FromResult(ToolCallOutcome.Stopped(context, decision, FailureClassifier.Stopped(decision, FailureClass.Policy, context.Call, context.Agent.Handoff.Team)));
            }
        }

        /// <summary>One finding per tool call it sees.</summary>
        private sealed class Monitor : IRunMonitor
        {
            public string Name => "test_plugin";

            public IMonitorSession Start(Run run, AgentVersion agent) => new Session();

            private sealed class Session : IMonitorSession
            {
                public void Observe(RunEvent runEvent, ICollection<Finding> findings)
                {
                    if (runEvent is ToolCallEvent call)
                    {
                        findings.Add(new Finding(FindingType, FindingSeverity.Info, call.Call.ToolName, [call.Sequence], "test_plugin"));
                    }
                }

                public void Complete(ICollection<Finding> findings)
                {
                }
            }
        }
    }
}
