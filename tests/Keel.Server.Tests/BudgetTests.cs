using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Keel.Server.Tests;

public sealed class BudgetTests
{
    [Fact]
    public async Task WorkspaceBudget_64ConcurrentCallers_NeverOverspends()
    {
        await using var gateway = await new TestGateway().StartAsync();
        (await gateway.Admin.PutAsJsonAsync("/v1/workspace/budget", new { window_seconds = 3600, max_tool_calls = 10 }, TestGateway.Json)).EnsureSuccessStatusCode();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var runs = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => agent.OpenRunAsync($"r{i}")));

        var responses = await Task.WhenAll(runs.Select(run => agent.ProposeAsync(run, "c1", "get_order", new { order_id = "A1" })));
        var kinds = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).DecisionKind()));

        kinds.Count(k => k == "allow").ShouldBe(10);
        kinds.Count(k => k == "deny").ShouldBe(54);
        gateway.Upstream.Count("get_order").ShouldBe(10);
        var budget = await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/workspace/budget");
        budget.GetProperty("used").GetProperty("tool_calls").GetInt32().ShouldBe(10);
    }

    [Fact]
    public async Task WorkspaceBudget_NextWindow_StartsFromZero()
    {
        await using var gateway = await new TestGateway().StartAsync();
        (await gateway.Admin.PutAsJsonAsync("/v1/workspace/budget", new { window_seconds = 60, max_tool_calls = 1 }, TestGateway.Json)).EnsureSuccessStatusCode();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        (await agent.ProposeOkAsync(run, "c1", "get_order", new { order_id = "A1" })).DecisionKind().ShouldBe("allow");
        var refused = await agent.ProposeOkAsync(run, "c2", "get_order", new { order_id = "A2" });
        refused.DecisionKind().ShouldBe("deny");
        refused.GetProperty("decision").GetProperty("rule_id").GetString().ShouldBe("workspace_budget.tool_calls");
        gateway.Time.Advance(TimeSpan.FromMinutes(1));
        (await agent.ProposeOkAsync(run, "c3", "get_order", new { order_id = "A3" })).DecisionKind().ShouldBe("allow");
    }

    [Fact]
    public async Task Message_WithUsagePastTheCostBudget_Is429AndNotStored()
    {
        await using var gateway = await new TestGateway().StartAsync();
        (await gateway.Admin.PutAsJsonAsync("/v1/workspace/budget", new { window_seconds = 3600, max_cost_usd = 0.10m }, TestGateway.Json)).EnsureSuccessStatusCode();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        (await agent.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role = "assistant", content = "hi", usage = new { tokens = 100, cost_usd = 0.06m } }, TestGateway.Json))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var over = await agent.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role = "assistant", content = "again", usage = new { tokens = 100, cost_usd = 0.06m } }, TestGateway.Json);
        over.StatusCode.ShouldBe((HttpStatusCode)429);
        var events = await gateway.Admin.GetFromJsonAsync<JsonElement>($"/v1/runs/{run}/events");
        events.GetProperty("events").GetArrayLength().ShouldBe(1);
    }
}
