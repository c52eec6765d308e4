using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Keel.Sdk.Tests;

/// <summary>The Agent Framework function-invocation middleware (<c>agent.AsBuilder().UseKeel(…)</c>), in both modes: against a real
/// <c>keel serve</c> (<see cref="RemoteAgentFrameworkTests"/>) and with the in-process gateway (<see cref="InProcessAgentFrameworkTests"/>).</summary>
public abstract class AgentFrameworkTests(IGovernedBackend server)
{
    private AIAgent Governed(ScriptedChatClient model, HostTools tools, string runId) =>
        server.UseKeel(model.AsAIAgent(instructions: "You help with orders.", name: "refund-desk", tools: tools.All).AsBuilder(),
                o => o.RunIdProvider = (_, _) => runId)
            .Build();

    [Fact]
    public async Task Run_AllowedCall_RunsFunctionAndIsRecorded()
    {
        var tools = new HostTools();
        var model = new ScriptedChatClient(
            _ => ScriptedChatClient.Call("a1", "get_order", new Dictionary<string, object?> { ["order_id"] = "A9" }),
            seen => ScriptedChatClient.Say($"Found: {seen.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single().Result}", 30));

        var response = await Governed(model, tools, "agent-allowed").RunAsync("Where is A9?", cancellationToken: TestContext.Current.CancellationToken);

        tools.GetOrderRuns.ShouldBe(1);
        response.Text.ShouldBe("Found: order A9: shipped, 120 USD");
        var events = await server.ListEventsAsync("agent-allowed");
        events.Single(e => e.Kind == "decision").Data.GetRawText().ShouldContain("\"allow\"");
        events.Single(e => e.Kind == "tool_call").Data.GetRawText().ShouldContain("A9");
        var hostResult = events.Single(e => e.Kind == "tool_result" && e.Data.TryGetProperty("source", out var source) && source.GetString() == "host");
        hostResult.Data.GetProperty("result").GetProperty("output").GetString().ShouldBe("order A9: shipped, 120 USD");
    }

    [Fact]
    public async Task Run_DeniedCall_NeverRunsFunctionAndModelReadsTheRule()
    {
        var tools = new HostTools();
        var model = new ScriptedChatClient(
            _ => ScriptedChatClient.Call("a2", "delete_account", new Dictionary<string, object?> { ["user_id"] = "u1" }),
            _ => ScriptedChatClient.Say("I may not delete accounts.", 30));

        var response = await Governed(model, tools, "agent-denied").RunAsync("Delete u1", cancellationToken: TestContext.Current.CancellationToken);

        tools.DeleteRuns.ShouldBe(0);
        response.Text.ShouldBe("I may not delete accounts.");
        model.Requests[1].SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single().Result!.ToString()!
            .ShouldContain("Keel denied this call (rule account.never-delete");
    }

    [Fact]
    public async Task Run_HeldCall_NeverRunsFunctionAndResultNamesTheApproval()
    {
        var tools = new HostTools();
        var model = new ScriptedChatClient(
            _ => ScriptedChatClient.Call("a3", "refund_order", new Dictionary<string, object?> { ["order_id"] = "A9", ["amount"] = 800 }));

        var response = await Governed(model, tools, "agent-held").RunAsync("Refund 800 on A9", cancellationToken: TestContext.Current.CancellationToken);

        tools.RefundRuns.ShouldBe(0);
        model.Requests.Count.ShouldBe(1);
        response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single().Result!.ToString()!
            .ShouldContain("Keel is holding this call for approval apr_");
    }
}

/// <summary>The middleware tests against a remote <c>keel serve</c>.</summary>
public sealed class RemoteAgentFrameworkTests(KeelServerFixture server) : AgentFrameworkTests(server), IClassFixture<KeelServerFixture>;

/// <summary>The same tests with the in-process gateway.</summary>
public sealed class InProcessAgentFrameworkTests(InProcessFixture gateway) : AgentFrameworkTests(gateway), IClassFixture<InProcessFixture>;
