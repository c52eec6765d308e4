using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Keel.Server.Tests;

public sealed class PlanTests
{
    [Fact]
    public async Task RiskyWrite_ApprovedDiffThenChangedState_IsRefusedUntilTheNewDiffIsApproved()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        var close = new { user_id = "U1" };

        var held = await agent.ProposeOkAsync(run, "c1", "close_account", close);
        held.DecisionKind().ShouldBe("require_plan");
        var plan = held.GetProperty("plan");
        plan.GetProperty("patch").GetRawText().ShouldContain("\"/users/U1/status\"");
        plan.GetProperty("preview_tool").GetString().ShouldBe("preview_close_account");
        held.GetProperty("approval").GetProperty("plan_digest").GetString().ShouldBe(plan.GetProperty("digest").GetString());
        var approval = await gateway.Admin.GetFromJsonAsync<JsonElement>($"/v1/approvals/{held.ApprovalId()}");
        approval.GetProperty("plan").GetRawText().ShouldBe(plan.GetProperty("patch").GetRawText());
        (await gateway.Admin.DecideAsync(held.ApprovalId(), approve: true)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The account changed between review and apply: the diff is another one, so the approval does not cover it.
        gateway.Upstream.Balance = 75;
        var changed = await agent.ProposeOkAsync(run, "c2", "close_account", close);
        changed.DecisionKind().ShouldBe("require_plan");
        changed.GetProperty("plan").GetProperty("digest").GetString().ShouldNotBe(plan.GetProperty("digest").GetString());
        changed.ApprovalId().ShouldNotBe(held.ApprovalId());
        gateway.Upstream.Count("close_account").ShouldBe(0);

        (await gateway.Admin.DecideAsync(changed.ApprovalId(), approve: true)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var applied = await agent.ProposeOkAsync(run, "c3", "close_account", close);
        applied.DecisionKind().ShouldBe("allow");
        gateway.Upstream.Count("close_account").ShouldBe(1);
    }
}
