using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Keel.Server.Tests;

public sealed class ApprovalTests
{
    private static readonly object BigRefund = new { order_id = "A1", amount = 600 };

    [Fact]
    public async Task ToolCall_HeldThenApproved_RunsOnceOnlyForTheSameCall()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var supervisor = await gateway.NewClientAsync("operator", name: "supervisor");
        var run = await agent.OpenRunAsync();

        var held = await agent.ProposeOkAsync(run, "c1", "refund_order", BigRefund);
        held.DecisionKind().ShouldBe("require_approval");
        held.GetProperty("approval").GetProperty("digest").GetString().ShouldStartWith("sha256:");
        gateway.Upstream.Count("refund_order").ShouldBe(0);

        (await supervisor.DecideAsync(held.ApprovalId(), approve: true, "customer verified")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // A different amount is another call: another digest, held again, the approval is not used up by it.
        var changed = await agent.ProposeOkAsync(run, "c2", "refund_order", new { order_id = "A1", amount = 601 });
        changed.DecisionKind().ShouldBe("require_approval");
        changed.ApprovalId().ShouldNotBe(held.ApprovalId());
        gateway.Upstream.Count("refund_order").ShouldBe(0);

        // The same call (keys in another order) runs, once.
        var approved = await agent.ProposeOkAsync(run, "c3", "refund_order", new { amount = 600, order_id = "A1" });
        approved.DecisionKind().ShouldBe("allow");
        approved.GetProperty("result").GetProperty("status").GetString().ShouldBe("success");
        gateway.Upstream.Count("refund_order").ShouldBe(1);

        // Single use: proposing it again needs a new approval.
        var again = await agent.ProposeOkAsync(run, "c4", "refund_order", BigRefund);
        again.DecisionKind().ShouldBe("require_approval");
        gateway.Upstream.Count("refund_order").ShouldBe(1);
        var used = await supervisor.GetFromJsonAsync<JsonElement>($"/v1/approvals/{held.ApprovalId()}");
        used.GetProperty("status").GetString().ShouldBe("used");
    }

    [Fact]
    public async Task Approval_PastItsTimeout_ExpiresAndTheCallStaysHeld()
    {
        await using var gateway = await new TestGateway(o => o.ApprovalTimeout = TimeSpan.FromMinutes(10)).StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        var held = await agent.ProposeOkAsync(run, "c1", "refund_order", BigRefund);
        held.GetProperty("approval").GetProperty("expires_at").GetDateTimeOffset().ShouldBe(gateway.Time.GetUtcNow().AddMinutes(10));

        gateway.Time.Advance(TimeSpan.FromMinutes(11));
        var late = await gateway.Admin.DecideAsync(held.ApprovalId(), approve: true);
        late.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await late.Content.ReadAsStringAsync()).ShouldContain("expired");

        var retried = await agent.ProposeOkAsync(run, "c2", "refund_order", BigRefund);
        retried.DecisionKind().ShouldBe("require_approval");
        gateway.Upstream.Count("refund_order").ShouldBe(0);
    }

    [Fact]
    public async Task Approval_GrantedButExpiredBeforeUse_DoesNotLetTheCallRun()
    {
        await using var gateway = await new TestGateway(o => o.ApprovalTimeout = TimeSpan.FromMinutes(10)).StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        var held = await agent.ProposeOkAsync(run, "c1", "refund_order", BigRefund);
        (await gateway.Admin.DecideAsync(held.ApprovalId(), approve: true)).StatusCode.ShouldBe(HttpStatusCode.OK);

        gateway.Time.Advance(TimeSpan.FromMinutes(10));
        (await agent.ProposeOkAsync(run, "c2", "refund_order", BigRefund)).DecisionKind().ShouldBe("require_approval");
        gateway.Upstream.Count("refund_order").ShouldBe(0);
    }

    [Fact]
    public async Task Approval_SurvivesAServerRestart()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk", name: "bot");
        var run = await agent.OpenRunAsync("run-restart");
        await agent.ProposeOkAsync(run, "c0", "get_order", new { order_id = "A1" });
        var held = await agent.ProposeOkAsync(run, "c1", "refund_order", BigRefund);

        await gateway.RestartAsync();
        var admin = gateway.Admin;
        var pending = await admin.GetFromJsonAsync<JsonElement>("/v1/approvals?status=pending");
        pending.GetProperty("approvals").EnumerateArray().Select(a => a.GetProperty("id").GetString()).ShouldContain(held.ApprovalId());
        (await admin.DecideAsync(held.ApprovalId(), approve: true)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var agentAfter = await gateway.NewClientAsync("agent", "refund-desk");
        var approved = await agentAfter.ProposeOkAsync(run, "c2", "refund_order", BigRefund);
        approved.DecisionKind().ShouldBe("allow");
        gateway.Upstream.Count("refund_order").ShouldBe(1);

        var events = await admin.GetFromJsonAsync<JsonElement>($"/v1/runs/{run}/events");
        var sequences = events.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()).ToArray();
        sequences.Length.ShouldBeGreaterThanOrEqualTo(10);
        sequences.ShouldBe(Enumerable.Range(1, sequences.Length).Select(i => (long)i).ToArray());
    }

    [Fact]
    public async Task Approval_WithTwoStages_NeedsTwoDifferentPeople()
    {
        await using var gateway = await new TestGateway(o => o.ApprovalStagesByTool["refund_order"] = 2).StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var alice = await gateway.NewClientAsync("operator", name: "alice");
        var bob = await gateway.NewClientAsync("operator", name: "bob");
        var run = await agent.OpenRunAsync();
        var held = await agent.ProposeOkAsync(run, "c1", "refund_order", BigRefund);

        var first = await (await alice.DecideAsync(held.ApprovalId(), approve: true)).Content.ReadFromJsonAsync<JsonElement>();
        first.GetProperty("status").GetString().ShouldBe("pending");
        (await agent.ProposeOkAsync(run, "c2", "refund_order", BigRefund)).DecisionKind().ShouldBe("require_approval");
        (await alice.DecideAsync(held.ApprovalId(), approve: true)).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var second = await (await bob.DecideAsync(held.ApprovalId(), approve: true, "second pair of eyes")).Content.ReadFromJsonAsync<JsonElement>();
        second.GetProperty("status").GetString().ShouldBe("granted");
        second.GetProperty("stages").GetArrayLength().ShouldBe(2);
        (await agent.ProposeOkAsync(run, "c3", "refund_order", BigRefund)).DecisionKind().ShouldBe("allow");
        gateway.Upstream.Count("refund_order").ShouldBe(1);
    }

    [Fact]
    public async Task Approval_Denied_CannotBeApprovedAfterwards()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        var held = await agent.ProposeOkAsync(run, "c1", "refund_order", BigRefund);
        var denied = await (await gateway.Admin.DecideAsync(held.ApprovalId(), approve: false, "not this one")).Content.ReadFromJsonAsync<JsonElement>();
        denied.GetProperty("status").GetString().ShouldBe("denied");
        (await gateway.Admin.DecideAsync(held.ApprovalId(), approve: true)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await agent.ProposeOkAsync(run, "c2", "refund_order", BigRefund)).DecisionKind().ShouldBe("require_approval");
        gateway.Upstream.Count("refund_order").ShouldBe(0);
    }

    [Fact]
    public async Task ParallelCalls_OneHeld_TheOthersAreDecidedOnTheirOwn()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        var calls = new[]
        {
            agent.ProposeAsync(run, "p0", "refund_order", BigRefund),
            agent.ProposeAsync(run, "p1", "get_order", new { order_id = "A1" }),
            agent.ProposeAsync(run, "p2", "refund_order", new { order_id = "A2", amount = 20 }),
        };
        var outcomes = await Task.WhenAll(calls);
        var kinds = await Task.WhenAll(outcomes.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).DecisionKind()));
        kinds.ShouldBe(["require_approval", "allow", "allow"]);
        gateway.Upstream.Count("get_order").ShouldBe(1);
        gateway.Upstream.Count("refund_order").ShouldBe(1);
    }
}
