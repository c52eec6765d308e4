using System.Net;
using System.Text.Json;
using Keel.Model;
using Keel.Sdk.Api;
using Keel.Storage;
using Microsoft.Extensions.AI;

namespace Keel.Sdk.Tests;

/// <summary>The host's result of an allowed call on the run (<c>POST /v1/runs/{run_id}/tool-calls/{call_id}/result</c>) and the
/// model usage on the message event, against a real <c>keel serve</c>.</summary>
public sealed class HostResultTests(KeelServerFixture server) : IClassFixture<KeelServerFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private KeelGatewayClient Agent => new(server.Http, server.AgentKey);

    [Fact]
    public async Task ReportToolResult_SameResultTwice_AnswersTheFirstRecordAndAnotherIsRefused()
    {
        await OpenAsync("host-retry");
        await ProposeAsync("host-retry", "g1", "get_order", """{"order_id": "A1"}""");

        var first = await Agent.ReportToolResultAsync("host-retry", "g1", new ApiToolResultReport("success", "order A1: shipped"), cancellationToken: Token);
        var again = await Agent.ReportToolResultAsync("host-retry", "g1", new ApiToolResultReport("success", "order A1: shipped"), cancellationToken: Token);
        var other = await Should.ThrowAsync<KeelApiException>(() =>
            Agent.ReportToolResultAsync("host-retry", "g1", new ApiToolResultReport("success", "order A1: lost"), cancellationToken: Token));

        (first.CallId, first.Status).ShouldBe(("g1", "success"));
        again.Sequence.ShouldBe(first.Sequence);
        (other.StatusCode, other.Problem.Type).ShouldBe((HttpStatusCode.Conflict, "urn:keel:problem:result-recorded"));
        var events = await server.Admin.ListEventsAsync("host-retry", cancellationToken: Token);
        events.Count(e => e.Kind == "tool_result" && e.Data.TryGetProperty("source", out _)).ShouldBe(1);
    }

    [Fact]
    public async Task ReportToolResult_DeniedCall_IsRefusedAndNothingIsRecorded()
    {
        await OpenAsync("host-denied");
        await ProposeAsync("host-denied", "d1", "delete_account", """{"user_id": "u1"}""");
        var before = (await server.Admin.ListEventsAsync("host-denied", cancellationToken: Token)).Count;

        var refused = await Should.ThrowAsync<KeelApiException>(() =>
            Agent.ReportToolResultAsync("host-denied", "d1", new ApiToolResultReport("success", "deleted u1"), cancellationToken: Token));

        (refused.StatusCode, refused.Problem.Type).ShouldBe((HttpStatusCode.Conflict, "urn:keel:problem:call-not-allowed"));
        (await server.Admin.ListEventsAsync("host-denied", cancellationToken: Token)).Count.ShouldBe(before);
    }

    [Fact]
    public async Task ReportToolResult_UnknownCallOrBadStatus_IsRefusedNamingWhat()
    {
        await OpenAsync("host-unknown");

        var unknown = await Should.ThrowAsync<KeelApiException>(() =>
            Agent.ReportToolResultAsync("host-unknown", "nope", new ApiToolResultReport("success", "x"), cancellationToken: Token));
        var status = await Should.ThrowAsync<KeelApiException>(() =>
            Agent.ReportToolResultAsync("host-unknown", "nope", new ApiToolResultReport("not_executed", "x"), cancellationToken: Token));

        (unknown.StatusCode, unknown.Problem.Type).ShouldBe((HttpStatusCode.NotFound, "urn:keel:problem:not-found"));
        status.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        status.Problem.Detail!.ShouldContain("$.status");
    }

    [Fact]
    public async Task ReportToolResult_WriteSucceeded_ClaimMonitorSeesItAndRaisesNoMismatch()
    {
        await OpenAsync("host-claim-ok");
        await ProposeAsync("host-claim-ok", "w1", "refund_order", """{"order_id": "A1", "amount": 100}""");
        await Agent.ReportToolResultAsync("host-claim-ok", "w1", new ApiToolResultReport("success", "refunded 100 on A1"), cancellationToken: Token);

        await Agent.AppendMessageAsync("host-claim-ok", new AppendMessageRequest("assistant", "I've refunded 100 USD on order A1."), cancellationToken: Token);

        var events = await server.Admin.ListEventsAsync("host-claim-ok", cancellationToken: Token);
        events.Where(e => e.Kind == "finding").Select(e => e.Data.GetRawText()).ShouldNotContain(d => d.Contains("claim_result_mismatch"));
    }

    [Fact]
    public async Task ReportToolResult_WriteFailed_ClaimMonitorNamesTheFailure()
    {
        await OpenAsync("host-claim-failed");
        await ProposeAsync("host-claim-failed", "w2", "refund_order", """{"order_id": "A2", "amount": 100}""");
        await Agent.ReportToolResultAsync("host-claim-failed", "w2", new ApiToolResultReport("error", "card processor declined"), cancellationToken: Token);

        await Agent.AppendMessageAsync("host-claim-failed", new AppendMessageRequest("assistant", "I've refunded 100 USD on order A2."), cancellationToken: Token);

        var events = await server.Admin.ListEventsAsync("host-claim-failed", cancellationToken: Token);
        events.Where(e => e.Kind == "finding").Select(e => e.Data.GetRawText())
            .ShouldContain(d => d.Contains("claim_result_mismatch") && d.Contains("refund_order failed: card processor declined"));
    }

    [Fact]
    public async Task GetResponse_HostFunctionThrows_ErrorResultIsRecordedOnTheRun()
    {
        var failing = AIFunctionFactory.Create(string (string order_id) => throw new InvalidOperationException($"order service down for {order_id}"), "get_order", "Look up an order.");
        var model = new ScriptedChatClient(
            _ => ScriptedChatClient.Call("f1", "get_order", new Dictionary<string, object?> { ["order_id"] = "Z1" }),
            _ => ScriptedChatClient.Say("The order service is down.", 40));
        using var client = new ChatClientBuilder(model)
            .UseKeel(o => { o.Endpoint = server.Endpoint; o.ApiKey = server.AgentKey; o.RunIdProvider = (_, _) => "host-throws"; })
            .UseFunctionInvocation()
            .Build();

        await client.GetResponseAsync("Where is Z1?", new ChatOptions { Tools = [failing] }, Token);

        var events = await server.Admin.ListEventsAsync("host-throws", cancellationToken: Token);
        var result = events.Single(e => e.Kind == "tool_result" && e.Data.TryGetProperty("source", out _)).Data.GetProperty("result");
        result.GetProperty("status").GetString().ShouldBe("error");
        result.GetProperty("output").GetString().ShouldBe("InvalidOperationException: order service down for Z1");
    }

    [Fact]
    public async Task AppendMessage_UsageWithInputAndOutput_IsOnTheMessageEvent()
    {
        await OpenAsync("usage-event");

        await Agent.AppendMessageAsync("usage-event", new AppendMessageRequest("assistant", "Hello.", new ApiUsage(130, 0.002m, 100, 30)), cancellationToken: Token);
        await Agent.AppendMessageAsync("usage-event", new AppendMessageRequest("user", "Hi."), cancellationToken: Token);

        var events = await server.Admin.ListEventsAsync("usage-event", cancellationToken: Token);
        var usage = events[0].Data.GetProperty("usage");
        (usage.GetProperty("tokens").GetInt64(), usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64(), usage.GetProperty("cost_usd").GetDecimal())
            .ShouldBe((130L, 100L, 30L, 0.002m));
        events[1].Data.TryGetProperty("usage", out _).ShouldBeFalse();
    }

    [Fact]
    public void Serialize_EventsWithoutUsageOrSource_WriteNeitherSoStoredChainsHashTheSame()
    {
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var message = RunEventJson.Serialize(new MessageEvent(MessageRole.User, "hi") { Sequence = 1, Timestamp = at });
        var result = RunEventJson.Serialize(new ToolResultEvent(new ToolResult("c1", ToolResultStatus.Ok, "done"), "get_order") { Sequence = 2, Timestamp = at });
        var reported = RunEventJson.Serialize(new MessageEvent(MessageRole.Assistant, "ok") { Usage = new MessageUsage(5, 0m) { InputTokens = 3 } });

        message.ShouldNotContain("usage");
        result.ShouldNotContain("source");
        reported.ShouldContain("\"usage\":{\"tokens\":5,\"cost_usd\":0,\"input_tokens\":3}");
        ((MessageEvent)RunEventJson.Deserialize(reported)).Usage.ShouldBe(new MessageUsage(5, 0m) { InputTokens = 3 });
    }

    private async Task OpenAsync(string runId) => await Agent.CreateRunAsync(new CreateRunRequest(runId), cancellationToken: Token);

    private async Task ProposeAsync(string runId, string callId, string tool, string arguments)
    {
        using var document = JsonDocument.Parse(arguments);
        await Agent.ProposeToolCallAsync(runId, new ApiToolCall(callId, tool, document.RootElement.Clone()), cancellationToken: Token);
    }
}
