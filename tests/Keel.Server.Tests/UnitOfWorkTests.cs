using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Keel.Server.Tests;

/// <summary>One commit per request: a request either stores everything it changed with its answer, or nothing; a tool that ran
/// is never reported as "nothing was changed" and never runs twice.</summary>
public sealed class UnitOfWorkTests
{
    [Fact]
    public async Task ProposeToolCall_StoreFullAfterTheToolRan_AnswersExecutedNotRecordedAndARetryNeverRunsItAgain()
    {
        FailingLiveRunStore? store = null;
        await using var gateway = await new TestGateway { Host = FailingLiveRunStore.Around(s => store = s) }.StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        store!.Full = true;

        var first = await agent.ProposeAsync(run, "c1", "get_order", new { order_id = "A1" }, idempotencyKey: "k1");

        first.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var problem = await first.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("type").GetString().ShouldBe("urn:keel:problem:executed-not-recorded");
        problem.GetProperty("outcome").GetProperty("result").GetProperty("status").GetString().ShouldBe("success");
        gateway.Upstream.Count("get_order").ShouldBe(1);

        // The same request again, the same key: the kept outcome, not a second execution.
        var retry = await agent.ProposeAsync(run, "c1", "get_order", new { order_id = "A1" }, idempotencyKey: "k1");
        retry.StatusCode.ShouldBe(HttpStatusCode.OK);
        retry.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        (await retry.Content.ReadFromJsonAsync<JsonElement>()).DecisionKind().ShouldBe("allow");

        // The same call id under another key: refused, not executed.
        (await agent.ProposeAsync(run, "c1", "get_order", new { order_id = "A1" }, idempotencyKey: "k2")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        gateway.Upstream.Count("get_order").ShouldBe(1);

        // Once the store takes writes again, the kept record is stored and the run goes on.
        store.Full = false;
        var again = await agent.ProposeAsync(run, "c1", "get_order", new { order_id = "A1" }, idempotencyKey: "k3");
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString().ShouldBe("urn:keel:problem:call-id-used");
        var events = (await gateway.Admin.GetFromJsonAsync<JsonElement>($"/v1/runs/{run}/events")).GetProperty("events").EnumerateArray()
            .Select(e => e.GetProperty("kind").GetString()).ToList();
        events.Count(k => k == "tool_call").ShouldBe(1);
        events.ShouldContain("tool_result");
        gateway.Upstream.Count("get_order").ShouldBe(1);

        var replayed = await agent.ProposeAsync(run, "c1", "get_order", new { order_id = "A1" }, idempotencyKey: "k1");
        replayed.StatusCode.ShouldBe(HttpStatusCode.OK);
        replayed.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
    }

    [Fact]
    public async Task ProposeToolCall_StoreFullBeforeAnythingRan_AnswersNothingChangedAndLeavesNothingInTheRun()
    {
        FailingLiveRunStore? store = null;
        await using var gateway = await new TestGateway { Host = FailingLiveRunStore.Around(s => store = s) }.StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        store!.Full = true;

        // Denied by policy: nothing runs; the failed commit must leave nothing behind.
        var denied = await agent.ProposeAsync(run, "c1", "delete_account", new { user_id = "U1" });
        denied.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await denied.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString().ShouldBe("urn:keel:problem:store-unavailable");

        store.Full = false;
        await agent.ProposeOkAsync(run, "c2", "get_order", new { order_id = "A1" });

        var calls = (await gateway.Admin.GetFromJsonAsync<JsonElement>($"/v1/runs/{run}/events")).GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "tool_call")
            .Select(e => e.GetProperty("data").GetProperty("call").GetProperty("id").GetString()).ToList();
        calls.ShouldBe(["c2"]);

        // And the refused call may be proposed again: it was never recorded.
        (await agent.ProposeOkAsync(run, "c1", "delete_account", new { user_id = "U1" })).DecisionKind().ShouldBe("deny");
    }

    [Fact]
    public async Task ProposeToolCall_StoreFullAndTheClaimCannotBeReleased_ARetryWithTheSameKeyIsDecidedOnceSpaceIsBack()
    {
        // Found by the disk-full driver (docs/reliability.md): the delete that releases a claim needs room too; before the fix a
        // retry was refused as in flight for IdempotencyStaleAfter (111 s) although nothing of the first request was committed.
        FailingLiveRunStore? runs = null;
        FailingIdempotencyStore? keys = null;
        await using var gateway = await new TestGateway
        {
            Host = b =>
            {
                FailingLiveRunStore.Around(s => runs = s)(b);
                FailingIdempotencyStore.Around(s => keys = s)(b);
            },
        }.StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        runs!.Full = true;
        keys!.FailRelease = true;

        var refused = await agent.ProposeAsync(run, "c1", "delete_account", new { user_id = "U1" }, idempotencyKey: "k1");
        refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString().ShouldBe("urn:keel:problem:store-unavailable");

        runs.Full = false;
        keys.FailRelease = false;
        var retry = await agent.ProposeAsync(run, "c1", "delete_account", new { user_id = "U1" }, idempotencyKey: "k1");
        retry.StatusCode.ShouldBe(HttpStatusCode.OK, await retry.Content.ReadAsStringAsync());
        (await retry.Content.ReadFromJsonAsync<JsonElement>()).DecisionKind().ShouldBe("deny");
    }

    [Fact]
    public async Task OpenRun_SameIdFromTwoWorkspacesAtOnce_OneOwnsIt()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var otherAdmin = await gateway.NewWorkspaceAsync("ws-2");
        var agents = new[] { await gateway.NewClientAsync("agent", "refund-desk"), await gateway.NewClientAsync("agent", "refund-desk", otherAdmin) };

        for (var i = 0; i < 20; i++)
        {
            var id = $"race-{i}";
            var answers = await Task.WhenAll(agents.Select(a => a.PostAsJsonAsync("/v1/runs", new { id }, TestGateway.Json)));
            answers.Count(a => a.StatusCode == HttpStatusCode.Created).ShouldBe(1, $"run id '{id}'");
            answers.Count(a => a.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Conflict).ShouldBe(1);
        }
    }
}
