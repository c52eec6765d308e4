using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Keel.Server.Tests;

public sealed class TenancyTests
{
    [Fact]
    public async Task EveryEndpoint_WithAnIdOfAnotherWorkspace_Is403AndAudited()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agentA = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agentA.OpenRunAsync("shared-looking-id");
        var held = await agentA.ProposeOkAsync(run, "c1", "refund_order", new { order_id = "ORDER-SECRET-77", amount = 900 });
        var keysA = await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/keys");
        var keyA = keysA.GetProperty("keys")[0].GetProperty("id").GetString();

        var adminB = await gateway.NewWorkspaceAsync("tenant-b");
        var agentB = await gateway.NewClientAsync("agent", "refund-desk", adminB);
        var requests = new (HttpClient Client, HttpMethod Method, string Path, object? Body)[]
        {
            (adminB, HttpMethod.Get, $"/v1/runs/{run}", null),
            (adminB, HttpMethod.Get, $"/v1/runs/{run}/events", null),
            (agentB, HttpMethod.Post, $"/v1/runs/{run}/messages", new { role = "user", content = "hi" }),
            (agentB, HttpMethod.Post, $"/v1/runs/{run}/tool-calls", new { id = "x", name = "get_order", arguments = new { order_id = "A1" } }),
            (agentB, HttpMethod.Post, $"/v1/runs/{run}/close", new { }),
            (agentB, HttpMethod.Post, "/v1/runs", new { id = run }),
            (adminB, HttpMethod.Get, $"/v1/approvals/{held.ApprovalId()}", null),
            (adminB, HttpMethod.Post, $"/v1/approvals/{held.ApprovalId()}/approve", new { }),
            (adminB, HttpMethod.Post, $"/v1/approvals/{held.ApprovalId()}/deny", new { }),
            (adminB, HttpMethod.Delete, $"/v1/keys/{keyA}", null),
        };
        foreach (var (client, method, path, body) in requests)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            var response = await client.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, $"{method} {path}");
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            (await response.Content.ReadAsStringAsync()).ShouldNotContain("ORDER-SECRET-77", Case.Sensitive);
        }

        var log = (await adminB.GetFromJsonAsync<JsonElement>("/v1/access-log")).GetProperty("entries").EnumerateArray().ToArray();
        log.Length.ShouldBe(requests.Length);
        log.ShouldAllBe(e => e.GetProperty("status").GetInt32() == 403 && e.GetProperty("reason").GetString()!.Contains("another workspace"));
        (await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/access-log")).GetProperty("entries").GetArrayLength().ShouldBe(0);
        var approval = await gateway.Admin.GetFromJsonAsync<JsonElement>($"/v1/approvals/{held.ApprovalId()}");
        approval.GetProperty("status").GetString().ShouldBe("pending");
        (await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/keys")).GetProperty("keys")[0].GetProperty("revoked_at").ValueKind.ShouldBe(JsonValueKind.Null);
        (await adminB.GetFromJsonAsync<JsonElement>("/v1/runs")).GetProperty("runs").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task UnknownId_Is404NotForbidden()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var response = await gateway.Admin.GetAsync("/v1/runs/no-such-run");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Request_WithoutOrWithABadKey_Is401()
    {
        await using var gateway = await new TestGateway().StartAsync();
        (await gateway.Client(null).GetAsync("/v1/runs")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await gateway.Client("keel_000000000000_wrong").GetAsync("/v1/runs")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var forged = gateway.AdminKey[..^2] + (gateway.AdminKey[^2..] == "AA" ? "BB" : "AA");
        (await gateway.Client(forged).GetAsync("/v1/runs")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RevokedKey_StopsWorkingAtOnce()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var created = await (await gateway.Admin.PostAsJsonAsync("/v1/keys", new { name = "temp", role = "operator" })).Content.ReadFromJsonAsync<JsonElement>();
        var temp = gateway.Client(created.GetProperty("key").GetString());
        (await temp.GetAsync("/v1/runs")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await gateway.Admin.DeleteAsync($"/v1/keys/{created.GetProperty("id").GetString()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await temp.GetAsync("/v1/runs")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Roles_AgentCannotApproveAndOperatorCannotProposeCalls()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var operatorClient = await gateway.NewClientAsync("operator");
        var run = await agent.OpenRunAsync();
        var held = await agent.ProposeOkAsync(run, "c1", "refund_order", new { order_id = "A1", amount = 900 });

        (await agent.DecideAsync(held.ApprovalId(), approve: true)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await operatorClient.ProposeAsync(run, "c2", "get_order", new { order_id = "A1" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await operatorClient.PostAsJsonAsync("/v1/keys", new { name = "x", role = "admin" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        gateway.Upstream.Total.ShouldBe(0);
    }

    [Fact]
    public async Task AgentKey_CallsOnlyTheToolsItsVersionLists()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        var outcome = await agent.ProposeOkAsync(run, "c1", "drop_database", new { });
        outcome.DecisionKind().ShouldBe("deny");
        gateway.Upstream.Total.ShouldBe(0);
        var tools = await agent.GetFromJsonAsync<JsonElement>("/v1/tools");
        tools.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ShouldBe(["close_account", "delete_account", "get_order", "refund_order"]);
    }
}
