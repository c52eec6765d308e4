using Keel.Sdk.Api;
using Microsoft.Extensions.AI;
using Shouldly;

namespace Keel.Sdk.Tests;

/// <summary><c>builder.UseKeel(…).UseFunctionInvocation()</c> over a scripted model, in both modes: against a real <c>keel serve</c>
/// (<see cref="RemoteUseKeelTests"/>) and with the in-process gateway (<see cref="InProcessUseKeelTests"/>).</summary>
public abstract class UseKeelTests(IGovernedBackend server)
{
    private IChatClient Governed(ScriptedChatClient model, string runId) =>
        server.UseKeel(new ChatClientBuilder(model), o =>
            {
                o.Agent = "refund-desk";
                o.RunIdProvider = (_, _) => runId;
            })
            .UseFunctionInvocation()
            .Build();

    [Fact]
    public async Task GetResponse_AllowedCall_RunsHostFunctionAndRecordsCallMessagesAndUsage()
    {
        var tools = new HostTools();
        var model = new ScriptedChatClient(
            _ => ScriptedChatClient.Call("c1", "get_order", new Dictionary<string, object?> { ["order_id"] = "A1" }),
            seen => ScriptedChatClient.Say($"Your order: {seen.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single().Result}", 420));
        using var client = Governed(model, "run-allowed");
        var before = await server.UsedTokensAsync();

        var response = await client.GetResponseAsync("Where is order A1?", new ChatOptions { Tools = tools.All }, TestContext.Current.CancellationToken);

        tools.GetOrderRuns.ShouldBe(1);
        response.Text.ShouldBe("Your order: order A1: shipped, 120 USD");
        var events = await server.ListEventsAsync("run-allowed");
        events.Select(e => e.Kind).ShouldBe(["message", "tool_call", "execution", "decision", "tool_result", "tool_result", "message"]);
        Data(events[0]).ShouldContain("Where is order A1?");
        Data(events[1]).ShouldContain("get_order");
        Data(events[3]).ShouldContain("\"allow\"");
        Data(events[4]).ShouldContain("\"not_executed\"");
        events[5].Data.GetProperty("source").GetString().ShouldBe("host");
        events[5].Data.GetProperty("result").GetProperty("output").GetString().ShouldBe("order A1: shipped, 120 USD");
        Data(events[6]).ShouldContain("Your order: order A1: shipped");
        var usage = events[6].Data.GetProperty("usage");
        (usage.GetProperty("tokens").GetInt64(), usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64()).ShouldBe((420L, 410L, 10L));
        (await server.UsedTokensAsync() - before).ShouldBe(420);
        var run = await server.GetRunAsync("run-allowed");
        (run.Agent, run.Channel, run.Origin).ShouldBe(("refund-desk", "api", "live"));
    }

    [Fact]
    public async Task GetResponse_DeniedCall_NeverRunsFunctionAndModelReadsTheRule()
    {
        var tools = new HostTools();
        var model = new ScriptedChatClient(
            _ => ScriptedChatClient.Call("d1", "delete_account", new Dictionary<string, object?> { ["user_id"] = "u7" }),
            _ => ScriptedChatClient.Say("I cannot delete accounts.", 50));
        using var client = Governed(model, "run-denied");

        var response = await client.GetResponseAsync("Delete my account u7", new ChatOptions { Tools = tools.All }, TestContext.Current.CancellationToken);

        tools.DeleteRuns.ShouldBe(0);
        var result = model.Requests[1].SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single();
        result.CallId.ShouldBe("d1");
        result.Result!.ToString()!.ShouldContain("Keel denied this call (rule account.never-delete");
        response.Text.ShouldBe("I cannot delete accounts.");
        var events = await server.ListEventsAsync("run-denied");
        Data(events.Single(e => e.Kind == "decision")).ShouldContain("account.never-delete");
    }

    [Fact]
    public async Task GetResponse_HeldCall_IsApprovalRequestThenRunsOnceAfterKeelApproves()
    {
        var tools = new HostTools();
        var model = new ScriptedChatClient(
            _ => ScriptedChatClient.Call("r1", "refund_order", new Dictionary<string, object?> { ["order_id"] = "A1", ["amount"] = 900 }),
            seen => ScriptedChatClient.Say($"Done: {seen.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Last().Result}", 60));
        using var client = Governed(model, "run-held");
        var options = new ChatOptions { Tools = tools.All };
        List<ChatMessage> history = [new(ChatRole.User, "Refund 900 on A1")];

        var first = await client.GetResponseAsync(history, options, TestContext.Current.CancellationToken);

        tools.RefundRuns.ShouldBe(0);
        var request = first.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();
        request.RequestId.ShouldStartWith("apr_");
        ((FunctionCallContent)request.ToolCall).Name.ShouldBe("refund_order");
        model.Requests.Count.ShouldBe(1);

        var approval = await server.ApproveAsync(request.RequestId, "supervisor ok");
        approval.Status.ShouldBe("granted");
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)]));
        var second = await client.GetResponseAsync(history, options, TestContext.Current.CancellationToken);

        tools.RefundRuns.ShouldBe(1);
        second.Text.ShouldBe("Done: refunded 900 on A1");
        (await server.GetApprovalAsync(request.RequestId)).Status.ShouldBe("used");
        var events = await server.ListEventsAsync("run-held");
        events.Where(e => e.Kind == "decision").Select(Data).ShouldSatisfyAllConditions(
            d => d.First().ShouldContain("require_approval"),
            d => d.Last().ShouldContain("\"allow\""));
        var hostResult = events.Single(e => e.Kind == "tool_result" && e.Data.TryGetProperty("source", out _)).Data.GetProperty("result");
        (hostResult.GetProperty("call_id").GetString(), hostResult.GetProperty("output").GetString()).ShouldBe(("r1~2", "refunded 900 on A1"));
    }

    [Fact]
    public async Task GetResponse_HeldCallApprovedByHostOnly_IsHeldAgainAndNeverRuns()
    {
        var tools = new HostTools();
        var model = new ScriptedChatClient(
            _ => ScriptedChatClient.Call("r2", "refund_order", new Dictionary<string, object?> { ["order_id"] = "B2", ["amount"] = 700 }));
        using var client = Governed(model, "run-held-again");
        var options = new ChatOptions { Tools = tools.All };
        List<ChatMessage> history = [new(ChatRole.User, "Refund 700 on B2")];
        var first = await client.GetResponseAsync(history, options, TestContext.Current.CancellationToken);
        var request = first.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();

        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)]));
        var second = await client.GetResponseAsync(history, options, TestContext.Current.CancellationToken);

        tools.RefundRuns.ShouldBe(0);
        second.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single().RequestId.ShouldBe(request.RequestId);
    }

    [Fact]
    public async Task GetStreamingResponse_DeniedCall_StreamsTheGovernedAnswer()
    {
        var tools = new HostTools();
        var model = new ScriptedChatClient(
            _ => ScriptedChatClient.Call("s1", "delete_account", new Dictionary<string, object?> { ["user_id"] = "u9" }),
            _ => ScriptedChatClient.Say("Not possible.", 20));
        using var client = Governed(model, "run-streamed");

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Delete u9", new ChatOptions { Tools = tools.All }, TestContext.Current.CancellationToken))
        {
            updates.Add(update);
        }

        tools.DeleteRuns.ShouldBe(0);
        updates.ToChatResponse().Text.ShouldBe("Not possible.");
        var events = await server.ListEventsAsync("run-streamed");
        events.Count(e => e.Kind == "message").ShouldBe(2);
    }

    private static string Data(ApiEvent e) => e.Data.GetRawText();
}

/// <summary>The behaviour tests against a remote <c>keel serve</c>.</summary>
public sealed class RemoteUseKeelTests(KeelServerFixture server) : UseKeelTests(server), IClassFixture<KeelServerFixture>;

/// <summary>The same tests with the in-process gateway.</summary>
public sealed class InProcessUseKeelTests(InProcessFixture gateway) : UseKeelTests(gateway), IClassFixture<InProcessFixture>;
