using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Keel.Server.Tests;

public sealed class IdempotencyTests
{
    [Fact]
    public async Task ToolCall_RetriedWithTheSameKey_ExecutesTheWriteOnceAndAnswersTheSame()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();

        var first = await agent.ProposeAsync(run, "c1", "refund_order", new { order_id = "A1", amount = 20 }, idempotencyKey: "refund-A1-1");
        var retry = await agent.ProposeAsync(run, "c1", "refund_order", new { order_id = "A1", amount = 20 }, idempotencyKey: "refund-A1-1");

        gateway.Upstream.Count("refund_order").ShouldBe(1);
        retry.StatusCode.ShouldBe(first.StatusCode);
        (await retry.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        retry.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        var events = await gateway.Admin.GetFromJsonAsync<JsonElement>($"/v1/runs/{run}/events");
        events.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "tool_call").ShouldBe(1);
    }

    [Fact]
    public async Task ToolCall_WithoutAKey_UsesTheCallIdAsTheKey()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        await agent.ProposeOkAsync(run, "call_9", "refund_order", new { order_id = "A1", amount = 20 });
        await agent.ProposeOkAsync(run, "call_9", "refund_order", new { order_id = "A1", amount = 20 });
        gateway.Upstream.Count("refund_order").ShouldBe(1);
    }

    [Fact]
    public async Task Key_ReusedForAnotherRequest_Is422AndExecutesNothing()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        (await agent.ProposeAsync(run, "c1", "refund_order", new { order_id = "A1", amount = 20 }, idempotencyKey: "k")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var reused = await agent.ProposeAsync(run, "c2", "refund_order", new { order_id = "A2", amount = 30 }, idempotencyKey: "k");
        reused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        reused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        gateway.Upstream.Count("refund_order").ShouldBe(1);
    }

    [Fact]
    public async Task OpenRun_RetriedWithTheSameKey_OpensOneRun()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        async Task<string> OpenAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/runs") { Content = JsonContent.Create(new { channel = "web" }) };
            request.Headers.Add("Idempotency-Key", "open-1");
            var response = await agent.SendAsync(request);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }

        (await OpenAsync()).ShouldBe(await OpenAsync());
        var runs = await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/runs");
        runs.GetProperty("runs").GetArrayLength().ShouldBe(1);
    }
}
