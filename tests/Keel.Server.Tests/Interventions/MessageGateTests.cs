using System.Net;
using System.Net.Http.Json;
using Keel.Storage.Sqlite;

namespace Keel.Server.Tests.Interventions;

public sealed class MessageGateTests
{
    [Fact]
    public async Task AssistantReply_ActiveRun_IsDelivered()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();

        var answer = await agent.ReplyAsync(run, "Your refund is on its way.", channel: "whatsapp");

        answer.Str("delivery").ShouldBe("deliver");
        answer.TryGetProperty("intervention_id", out var id).ShouldBeTrue();
        id.ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        var message = (await agent.EventsAsync(run)).Single(e => e.Str("kind") == "message").GetProperty("data");
        message.Str("channel").ShouldBe("whatsapp");
        message.Str("role").ShouldBe("assistant");
    }

    [Fact]
    public async Task AssistantReply_PausedRun_IsHeldAndNotInTheConversation()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var supervisor = await gateway.NewClientAsync("operator", name: "supervisor");
        var run = await agent.OpenRunAsync();

        (await supervisor.InterveneOkAsync(run, "pause")).Str("status").ShouldBe("paused");
        var answer = await agent.ReplyAsync(run, "I have refunded 900 EUR.", channel: "email");
        var user = await agent.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role = "user", content = "hello?" }, TestGateway.Json);

        answer.Str("delivery").ShouldBe("held");
        answer.Str("intervention_id").ShouldStartWith("int_");
        answer.Str("status").ShouldBe("paused");
        (await user.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).Str("delivery").ShouldBe("deliver");
        var events = await agent.EventsAsync(run);
        events.ShouldNotContain(e => e.Str("kind") == "message" && e.GetProperty("data").Str("role") == "assistant");
        var hold = events.Single(e => e.Str("kind") == "intervention" && e.GetProperty("data").Str("action") == "hold").GetProperty("data");
        hold.Str("content").ShouldBe("I have refunded 900 EUR.");
        hold.Str("channel").ShouldBe("email");
        var pending = await supervisor.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/runs/{run}/interventions");
        pending.GetProperty("interventions")[0].Str("status").ShouldBe("pending");
    }

    [Theory]
    [InlineData("send", null, "Draft from the agent.", "assistant")]
    [InlineData("edit", "Draft from the agent, corrected.", "Draft from the agent, corrected.", "assistant")]
    [InlineData("replace", "An operator writes this instead.", "An operator writes this instead.", "operator")]
    [InlineData("discard", null, null, null)]
    public async Task Decision_OnHeldReply_ReachesTheDeliveriesWithExactlyThatText(string decision, string? content, string? delivered, string? role)
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var supervisor = await gateway.NewClientAsync("operator", name: "supervisor");
        var run = await agent.OpenRunAsync();
        await supervisor.InterveneOkAsync(run, "pause");
        var held = await agent.ReplyAsync(run, "Draft from the agent.");

        var decided = await supervisor.DecideReplyAsync(run, held.Str("intervention_id"), decision, content);

        decided.StatusCode.ShouldBe(HttpStatusCode.OK, await decided.Content.ReadAsStringAsync());
        var deliveries = (await agent.DeliveriesAsync(run, after: held.GetProperty("sequence").GetInt64())).Items();
        var single = deliveries.ShouldHaveSingleItem();
        single.Str("type").ShouldBe("decision");
        single.Str("decision").ShouldBe(decision);
        single.Str("intervention_id").ShouldBe(held.Str("intervention_id"));
        single.Str("by").ShouldBe("supervisor");
        (single.GetProperty("text").ValueKind == System.Text.Json.JsonValueKind.Null ? null : single.Str("text")).ShouldBe(delivered);
        (single.GetProperty("role").ValueKind == System.Text.Json.JsonValueKind.Null ? null : single.Str("role")).ShouldBe(role);
        var again = await supervisor.DecideReplyAsync(run, held.Str("intervention_id"), "send");
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var conversation = (await agent.EventsAsync(run)).Where(e => e.Str("kind") == "message").Select(e => e.GetProperty("data").Str("content")).ToArray();
        conversation.ShouldBe(delivered is null ? [] : [delivered]);
    }

    [Fact]
    public async Task Decision_EditWithoutText_IsRefusedWithThePath()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        await gateway.Admin.InterveneOkAsync(run, "pause");
        var held = await agent.ReplyAsync(run, "Draft.");

        var response = await gateway.Admin.DecideReplyAsync(run, held.Str("intervention_id"), "edit");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("$.content");
        (await gateway.Admin.DecideReplyAsync(run, "int_0000000000000000", "send")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Takeover_ToolCallsAreRefusedAndNeverExecuted_OperatorMessagesRecorded_ReleaseDeliversAgain()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var supervisor = await gateway.NewClientAsync("operator", name: "supervisor");
        var run = await agent.OpenRunAsync();

        (await supervisor.InterveneOkAsync(run, "takeover")).Str("status").ShouldBe("taken_over");
        var call = await agent.ProposeAsync(run, "c1", "get_order", new { order_id = "A1" });
        var reply = await agent.ReplyAsync(run, "Let me check.");
        var written = await supervisor.PostAsJsonAsync($"/v1/runs/{run}/operator-messages", new { content = "Hi, I am Dana from support.", channel = "web" }, TestGateway.Json);

        call.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await call.Content.ReadAsStringAsync()).ShouldContain("urn:keel:problem:run-taken-over");
        gateway.Upstream.Total.ShouldBe(0);
        reply.Str("delivery").ShouldBe("held");
        reply.Str("status").ShouldBe("taken_over");
        written.StatusCode.ShouldBe(HttpStatusCode.Created, await written.Content.ReadAsStringAsync());
        var message = (await agent.EventsAsync(run)).Single(e => e.Str("kind") == "message").GetProperty("data");
        message.Str("role").ShouldBe("operator");
        message.Str("by").ShouldBe("supervisor");

        (await supervisor.InterveneOkAsync(run, "release")).Str("status").ShouldBe("active");
        (await agent.ReplyAsync(run, "Thanks for waiting.")).Str("delivery").ShouldBe("deliver");
        (await agent.ProposeOkAsync(run, "c1", "get_order", new { order_id = "A1" })).DecisionKind().ShouldBe("allow");
        gateway.Upstream.Count("get_order").ShouldBe(1);
        var types = (await agent.DeliveriesAsync(run)).Items().Select(d => d.Str("type")).ToArray();
        types.ShouldBe(["taken_over", "held", "operator_message", "released"]);
        (await supervisor.PostAsJsonAsync($"/v1/runs/{run}/operator-messages", new { content = "late" }, TestGateway.Json)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Interventions_AgentKeyOrAnotherWorkspace_AreRefused()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        var otherAdmin = await gateway.NewWorkspaceAsync("other");
        var otherOperator = await gateway.NewClientAsync("operator", admin: otherAdmin);

        (await agent.InterveneAsync(run, "pause")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await otherOperator.InterveneAsync(run, "pause")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await otherOperator.GetAsync($"/v1/runs/{run}/deliveries?wait=0")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await otherOperator.GetAsync($"/v1/runs/{run}/stream")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await otherOperator.InterveneAsync("run_nowhere", "pause")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await gateway.Admin.InterveneAsync(run, "release")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Interventions_AuditChainVerifiesWithWhoAndWhen()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var (keyId, supervisor) = await gateway.NewKeyAsync("operator", name: "supervisor");
        var run = await agent.OpenRunAsync();
        await supervisor.InterveneOkAsync(run, "pause");
        var held = await agent.ReplyAsync(run, "Draft.");
        (await supervisor.DecideReplyAsync(run, held.Str("intervention_id"), "edit", "Edited.")).EnsureSuccessStatusCode();
        await supervisor.InterveneOkAsync(run, "takeover");
        (await supervisor.PostAsJsonAsync($"/v1/runs/{run}/operator-messages", new { content = "Operator here." }, TestGateway.Json)).EnsureSuccessStatusCode();
        await supervisor.InterveneOkAsync(run, "release");

        var interventions = (await supervisor.EventsAsync(run)).Where(e => e.Str("kind") == "intervention").Select(e => e.GetProperty("data")).ToArray();
        interventions.Select(i => i.Str("action")).ShouldBe(["pause", "hold", "decision", "takeover", "release"]);
        interventions.Where(i => i.Str("action") != "hold").ShouldAllBe(i => i.Str("operator") == "supervisor" && i.Str("key_id") == keyId);
        interventions.ShouldAllBe(i => i.GetProperty("timestamp").GetDateTimeOffset() == gateway.Time.GetUtcNow());
        using var reader = SqliteAuditReader.Open(gateway.DatabasePath);
        reader.Verify().Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Interventions_NoChannelNamed_HoldDecisionAndOperatorMessageCarryTheRunsChannel()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var supervisor = await gateway.NewClientAsync("operator", name: "supervisor");
        var opened = await agent.PostAsJsonAsync("/v1/runs", new { channel = "whatsapp" }, TestGateway.Json);
        var run = (await opened.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).Str("id");
        await supervisor.InterveneOkAsync(run, "pause");
        var held = await agent.ReplyAsync(run, "Draft.");
        (await supervisor.DecideReplyAsync(run, held.Str("intervention_id"), "edit", "Edited.")).EnsureSuccessStatusCode();
        await supervisor.InterveneOkAsync(run, "takeover");
        (await supervisor.PostAsJsonAsync($"/v1/runs/{run}/operator-messages", new { content = "Operator here." }, TestGateway.Json)).EnsureSuccessStatusCode();
        (await supervisor.PostAsJsonAsync($"/v1/runs/{run}/operator-messages", new { content = "By e-mail too.", channel = "email" }, TestGateway.Json)).EnsureSuccessStatusCode();

        var deliveries = (await agent.DeliveriesAsync(run)).Items().Where(d => d.Str("type") is "held" or "decision" or "operator_message").ToArray();
        deliveries.Select(d => (d.Str("type"), d.Str("channel"))).ShouldBe([
            ("held", "whatsapp"), ("decision", "whatsapp"), ("operator_message", "whatsapp"), ("operator_message", "email"),
        ]);
        var messages = (await agent.EventsAsync(run)).Where(e => e.Str("kind") == "message").Select(e => e.GetProperty("data")).ToArray();
        messages.Select(m => (m.Str("role"), m.Str("channel"))).ShouldBe([("assistant", "whatsapp"), ("operator", "whatsapp"), ("operator", "email")]);
    }
}
