using System.Text.Json;
using Keel.Mcp.Tests.Fakes;
using ModelContextProtocol.Protocol;
using Shouldly;
using Xunit;

namespace Keel.Mcp.Tests.Gateway;

/// <summary>An MCP client talking to KeelMcpGateway, which proposes every call to a (fake) Keel server over HTTP.</summary>
public sealed class KeelMcpGatewayTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string Text(CallToolResult result) => result.Content.OfType<TextContentBlock>().Single().Text;

    [Fact]
    public async Task ListTools_ThroughTheGateway_ReturnsTheToolsTheKeyMayCall()
    {
        await using var harness = await GatewayHarness.StartAsync(cancellationToken: Token);

        var tools = await harness.Client.ListToolsAsync(cancellationToken: Token);

        harness.Client.ServerInfo!.Name.ShouldBe("keel");
        tools.Select(t => t.Name).ShouldBe(["get_reservation_details", "cancel_reservation", "keel_approval_status"]);
        tools[0].Description.ShouldBe("Get the details of a reservation.");
        tools[0].ProtocolTool.Annotations.ShouldBeNull(); // this server's tool list carries no types
        tools[2].ProtocolTool.Annotations!.ReadOnlyHint.ShouldBe(true);
        tools[0].ProtocolTool.InputSchema.GetProperty("required")[0].GetString().ShouldBe("reservation_id");
        harness.Server.Requests.Single().Header("Authorization").ShouldBe($"Bearer {FakeGatewayApi.Key}");
    }

    [Fact]
    public async Task CallTool_AllowedCalls_ReturnTheToolsOutputAndGoThroughOneRunWithOneKeyPerCall()
    {
        await using var harness = await GatewayHarness.StartAsync(cancellationToken: Token);

        var first = await harness.CallAsync("get_reservation_details", new() { ["reservation_id"] = "4WQ150" });
        var second = await harness.CallAsync("get_reservation_details", new() { ["reservation_id"] = "VAAOXJ" });

        first.IsError.ShouldNotBe(true);
        Text(first).ShouldBe("""{"reservation_id": "4WQ150", "status": "confirmed"}""");
        Text(second).ShouldBe("""{"reservation_id": "VAAOXJ", "status": "confirmed"}""");
        var opened = harness.Server.Matching("POST", "/v1/runs").Where(r => r.PathAndQuery == "/v1/runs").ToList();
        opened.Count.ShouldBe(1);
        opened[0].Body.ShouldBe("""{"channel":"mcp"}""");
        var calls = harness.Server.Matching("POST", "/v1/runs/run_1/tool-calls");
        calls.Count.ShouldBe(2);
        foreach (var call in calls)
        {
            using var body = JsonDocument.Parse(call.Body);
            var id = body.RootElement.GetProperty("id").GetString()!;
            id.ShouldStartWith("mcp_");
            call.Header("Idempotency-Key").ShouldBe(id);
            body.RootElement.GetProperty("name").GetString().ShouldBe("get_reservation_details");
        }

        calls[0].Header("Idempotency-Key").ShouldNotBe(calls[1].Header("Idempotency-Key"));
        JsonDocument.Parse(calls[0].Body).RootElement.GetProperty("arguments").GetRawText().ShouldBe("""{"reservation_id":"4WQ150"}""");
    }

    [Theory]
    [InlineData("cancel_reservation", "Keel denied this call: the user has not confirmed the cancellation (rule cancel-needs-confirmation)")]
    [InlineData("transfer_to_human_agents", "Keel denied this call: the same call failed 3 times (stage loop_guard)")]
    [InlineData("send_certificate", "Error: certificate amount too large")]
    public async Task CallTool_StoppedOrFailedCall_ReturnsAToolErrorTheModelCanRead(string tool, string expected)
    {
        await using var harness = await GatewayHarness.StartAsync(cancellationToken: Token);

        var result = await harness.CallAsync(tool, new() { ["reservation_id"] = "4WQ150" });

        result.IsError.ShouldBe(true);
        Text(result).ShouldBe(expected);
    }

    [Fact]
    public async Task CallTool_HeldForApproval_ReturnsAToolErrorWithTheApprovalIdExpiryAndWhatToDo()
    {
        await using var harness = await GatewayHarness.StartAsync(cancellationToken: Token);

        var result = await harness.CallAsync("update_reservation_baggages", new() { ["reservation_id"] = "4WQ150", ["total_baggages"] = 5 });

        result.IsError.ShouldBe(true);
        Text(result).ShouldBe("Keel is holding this call for approval apr_42 (expires 2025-03-01T11:30:00Z). Ask the user to wait; "
            + "keel_approval_status with approval_id \"apr_42\" tells whether a person approved it; once approved, make exactly the same call again.");
    }

    [Fact]
    public async Task CallTool_PlanRequired_ReturnsAToolErrorSummarizingThePlansChanges()
    {
        await using var harness = await GatewayHarness.StartAsync(cancellationToken: Token);

        var result = await harness.CallAsync("update_reservation_flights", new() { ["reservation_id"] = "4WQ150" });

        result.IsError.ShouldBe(true);
        Text(result).ShouldBe("Keel is holding this call until a person reviews its plan (it would replace /flights/0/date with \"2024-05-20\"; remove /seat). "
            + "Ask the user to wait; when the plan is approved, make exactly the same call again.");
    }

    [Fact]
    public async Task Session_ClientDisconnects_ClosesTheRunAsCompleted()
    {
        await using var harness = await GatewayHarness.StartAsync(cancellationToken: Token);
        await harness.CallAsync("get_reservation_details", new() { ["reservation_id"] = "4WQ150" });

        await harness.EndSessionAsync();

        var close = harness.Server.Matching("POST", "/v1/runs/run_1/close").ShouldHaveSingleItem();
        close.Body.ShouldBe("""{"status":"completed"}""");
        close.Header("Idempotency-Key").ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Session_NoToolCalls_OpensAndClosesNoRun()
    {
        await using var harness = await GatewayHarness.StartAsync(cancellationToken: Token);
        await harness.Client.ListToolsAsync(cancellationToken: Token);

        await harness.EndSessionAsync();

        harness.Server.Requests.Select(r => $"{r.Method} {r.PathAndQuery}").ShouldBe(["GET /v1/tools"]);
    }

    [Fact]
    public async Task CallTool_ServerBriefly503_RetriesWithTheSameIdempotencyKeyAndAnswersOnce()
    {
        await using var harness = await GatewayHarness.StartAsync(cancellationToken: Token);
        harness.Api.UnavailableAnswers = 2;

        var result = await harness.CallAsync("get_reservation_details", new() { ["reservation_id"] = "4WQ150" });

        result.IsError.ShouldNotBe(true);
        var keys = harness.Server.Matching("POST", "/v1/runs/run_1/tool-calls").Select(r => r.Header("Idempotency-Key")).ToList();
        keys.Count.ShouldBe(3);
        keys.Distinct().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task CallTool_ToolTheServerRefuses_ReturnsAToolErrorWithTheProblem()
    {
        await using var harness = await GatewayHarness.StartAsync(cancellationToken: Token);

        var result = await harness.CallAsync("delete_database", new());

        result.IsError.ShouldBe(true);
        Text(result).ShouldBe("Keel could not take this call, so it may not have run: the Keel server refused the request: "
            + "Forbidden (HTTP 403): tool 'delete_database' is not among the agent's tools");
    }

    [Fact]
    public async Task CallTool_KeelServerUnreachable_ReturnsAToolErrorNotAProtocolError()
    {
        await using var harness = await GatewayHarness.StartAsync(new Uri($"http://127.0.0.1:{FakeKeelServer.FreePort()}/"), Token);

        var result = await harness.CallAsync("get_reservation_details", new() { ["reservation_id"] = "4WQ150" });

        result.IsError.ShouldBe(true);
        Text(result).ShouldBe("Keel could not take this call, so it may not have run: the Keel server is unreachable (temporarily unavailable); try again later");
    }
}
