using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Keel.Escalation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keel.Server.Tests.Interventions;

/// <summary>Pauses Keel makes by itself: an escalation rule with <c>action: pause</c>, and a held tool call of an agent version with
/// <c>handoff.pause_on_approval</c>. Each is an intervention event in the run's audit chain naming the rule or the approval.</summary>
public sealed class AutomaticPauseTests
{
    private const string Rules = """
        escalation: refund-desk
        version: "1"
        rules:
          - name: upset_customer
            when: history.asked_for_human
            team: refunds-tier2
            priority: p2
            reason: the customer asks for a person
            action: pause
          - name: large_sum
            when: stakes.customer_amount >= 1000
            team: refunds-tier2
            priority: p1
            reason: a large sum is at stake
        """;

    [Fact]
    public async Task AppendMessage_PauseRuleFires_NextReplyIsHeldAndThePauseNamesTheRule()
    {
        var log = new CapturingLoggerProvider();
        await using var gateway = await StartAsync(TestGateway.RefundDesk with { Escalation = EscalationLoader.Parse(Rules, "escalation.yaml").Policy! }, log);
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();

        (await agent.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role = "user", content = "Let me speak to a human, please." }, TestGateway.Json)).EnsureSuccessStatusCode();
        var reply = await agent.ReplyAsync(run, "I can help with that myself.");

        reply.Str("delivery").ShouldBe("held");
        reply.Str("status").ShouldBe("paused");
        var pause = (await agent.EventsAsync(run)).Single(e => e.Str("kind") == "intervention" && e.GetProperty("data").Str("action") == "pause").GetProperty("data");
        pause.Str("operator").ShouldBe("rule:upset_customer");
        pause.Str("note").ShouldBe("the customer asks for a person");
        var deliveries = (await agent.DeliveriesAsync(run)).Items();
        deliveries.Select(d => d.Str("type")).ShouldBe(["paused", "held"]);
        deliveries[0].Str("by").ShouldBe("rule:upset_customer");
        log.Lines.ShouldContain(l => l.EventId == 4004 && l.Message.Contains("pause by rule:upset_customer") && l.Message.Contains(run));
    }

    [Fact]
    public async Task AppendMessage_HandoffRuleAfterAPause_HandsThePausedRunOff()
    {
        var log = new CapturingLoggerProvider();
        await using var gateway = await StartAsync(TestGateway.RefundDesk with { Escalation = EscalationLoader.Parse(Rules, "escalation.yaml").Policy! }, log);
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        (await agent.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role = "user", content = "Let me speak to a human, please." }, TestGateway.Json)).EnsureSuccessStatusCode();

        (await agent.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role = "user", content = "I was charged $2,400 twice." }, TestGateway.Json)).EnsureSuccessStatusCode();

        var next = await agent.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role = "assistant", content = "Refund done." }, TestGateway.Json);
        next.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await next.Content.ReadFromJsonAsync<JsonElement>()).Str("rule").ShouldBe("large_sum");
        var kinds = (await agent.EventsAsync(run)).Select(e => e.Str("kind")).ToList();
        kinds.IndexOf("intervention").ShouldBeLessThan(kinds.IndexOf("handoff"));
        log.Lines.ShouldContain(l => l.EventId == 4008 && l.Message.Contains("refunds-tier2 (p1) by large_sum"));

        // The console's claim of the handoff has its line too.
        var queue = gateway.Services.GetRequiredService<Keel.Server.Console.Handoffs.HandoffQueue>();
        (await queue.RecordAsync("default", run, Keel.Server.Console.Handoffs.HandoffQueue.Claimed, "dana")).ShouldBeNull();
        log.Lines.ShouldContain(l => l.EventId == 4004 && l.Message.Contains($"{run}: handoff_claimed by dana, now handed_off"));
    }

    [Fact]
    public async Task ProposeToolCall_HeldWithPauseOnApproval_HoldsRepliesUntilTheApprovalIsDecided()
    {
        var version = TestGateway.RefundDesk with { Handoff = TestGateway.RefundDesk.Handoff with { PauseOnApproval = true } };
        await using var gateway = await StartAsync(version, new CapturingLoggerProvider());
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var supervisor = await gateway.NewClientAsync("operator", name: "supervisor");
        var run = await agent.OpenRunAsync();

        var call = await agent.ProposeOkAsync(run, "c1", "refund_order", new { order_id = "A1", amount = 600 });
        var whileWaiting = await agent.ReplyAsync(run, "Your refund is waiting for a supervisor.");
        (await supervisor.DecideAsync(call.ApprovalId(), approve: true)).EnsureSuccessStatusCode();
        var afterDecision = await agent.ReplyAsync(run, "Your refund was approved.");

        whileWaiting.Str("delivery").ShouldBe("held");
        afterDecision.Str("delivery").ShouldBe("deliver");
        var holds = (await agent.EventsAsync(run)).Where(e => e.Str("kind") == "intervention").Select(e => e.GetProperty("data"))
            .Where(d => d.Str("action") is "pause" or "release").ToArray();
        holds.Select(e => e.Str("action")).ShouldBe(["pause", "release"]);
        holds.ShouldAllBe(e => e.Str("operator") == "approval:" + call.ApprovalId());
    }

    [Fact]
    public async Task DecideApproval_AnotherApprovalOfTheRunStillWaits_ItTakesThePauseOver()
    {
        var version = TestGateway.RefundDesk with { Handoff = TestGateway.RefundDesk.Handoff with { PauseOnApproval = true } };
        await using var gateway = await StartAsync(version, new CapturingLoggerProvider());
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var supervisor = await gateway.NewClientAsync("operator", name: "supervisor");
        var run = await agent.OpenRunAsync();
        var first = await agent.ProposeOkAsync(run, "c1", "refund_order", new { order_id = "A1", amount = 600 });
        var second = await agent.ProposeOkAsync(run, "c2", "refund_order", new { order_id = "B2", amount = 700 });

        (await supervisor.DecideAsync(first.ApprovalId(), approve: true)).EnsureSuccessStatusCode();
        var whileSecondWaits = await agent.ReplyAsync(run, "One refund is approved, one still waits.");
        (await supervisor.DecideAsync(second.ApprovalId(), approve: false)).EnsureSuccessStatusCode();
        var afterBoth = await agent.ReplyAsync(run, "Both refunds were decided.");

        whileSecondWaits.Str("delivery").ShouldBe("held");
        afterBoth.Str("delivery").ShouldBe("deliver");
        var holds = (await agent.EventsAsync(run)).Where(e => e.Str("kind") == "intervention").Select(e => e.GetProperty("data"))
            .Where(d => d.Str("action") is "pause" or "release").Select(d => (d.Str("action"), d.Str("operator"))).ToArray();
        holds.ShouldBe([
            ("pause", "approval:" + first.ApprovalId()),
            ("pause", "approval:" + second.ApprovalId()),
            ("release", "approval:" + second.ApprovalId()),
        ]);
    }

    [Fact]
    public async Task ApprovalExpires_RunPausedByIt_IsReleasedLikeADecision()
    {
        var version = TestGateway.RefundDesk with { Handoff = TestGateway.RefundDesk.Handoff with { PauseOnApproval = true } };
        var log = new CapturingLoggerProvider();
        await using var gateway = await StartAsync(version, log);
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        var call = await agent.ProposeOkAsync(run, "c1", "refund_order", new { order_id = "A1", amount = 600 });
        var paused = (await agent.DeliveriesAsync(run)).Items().Single(d => d.Str("type") == "paused");

        gateway.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var after = paused.GetProperty("sequence").GetInt64();
        JsonElement[] released = [];
        for (var attempt = 0; attempt < 3 && released.Length == 0; attempt++)
        {
            released = [.. (await agent.DeliveriesAsync(run, after, wait: 10)).Items().Where(d => d.Str("type") == "released")];
        }

        released.Single().Str("by").ShouldBe("approval:" + call.ApprovalId());
        released.Single().Str("note").ShouldBe("approval expired");
        (await agent.ReplyAsync(run, "The refund was not approved in time.")).Str("delivery").ShouldBe("deliver");
        log.Lines.ShouldContain(l => l.EventId == 4004 && l.Message.Contains("release by approval:" + call.ApprovalId()));
    }

    [Fact]
    public async Task AppendMessage_ReplyBetweenTheStoredDecisionAndItsRelease_IsDelivered()
    {
        var version = TestGateway.RefundDesk with { Handoff = TestGateway.RefundDesk.Handoff with { PauseOnApproval = true } };
        StallingApprovalStore? store = null;
        var log = new CapturingLoggerProvider();
        await using var gateway = await new TestGateway(o =>
        {
            o.Agents.Clear();
            o.Agents.Add(version);
        })
        {
            Host = b =>
            {
                b.Logging.AddProvider(log);
                StallingApprovalStore.Around(s => store = s)(b);
            },
        }.StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var supervisor = await gateway.NewClientAsync("operator", name: "supervisor");
        var run = await agent.OpenRunAsync();
        var call = await agent.ProposeOkAsync(run, "c1", "refund_order", new { order_id = "A1", amount = 600 });

        // The decision is stored, and its request stalls before the decider takes the run's lock: the reply races into that moment.
        var decision = supervisor.DecideAsync(call.ApprovalId(), approve: true);
        await store!.Decided.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var reply = await agent.ReplyAsync(run, "Your refund was approved.");
        store.Resume.SetResult();
        (await decision).EnsureSuccessStatusCode();

        reply.Str("delivery").ShouldBe("deliver");
        reply.Str("status").ShouldBe("active");
        (await supervisor.GetFromJsonAsync<JsonElement>($"/v1/runs/{run}/interventions", TestGateway.Json)).GetProperty("interventions").GetArrayLength().ShouldBe(0);
        var holds = (await agent.EventsAsync(run)).Where(e => e.Str("kind") == "intervention").Select(e => e.GetProperty("data"))
            .Select(d => (d.Str("action"), d.Str("operator"))).ToArray();
        holds.ShouldBe([("pause", "approval:" + call.ApprovalId()), ("release", "approval:" + call.ApprovalId())]);
        log.Lines.Count(l => l.EventId == 4004 && l.Message.Contains("release by approval:")).ShouldBe(1);
    }

    [Fact]
    public async Task ProposeToolCall_HeldWithoutPauseOnApproval_RepliesAreDelivered()
    {
        await using var gateway = await StartAsync(TestGateway.RefundDesk, new CapturingLoggerProvider());
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();

        await agent.ProposeOkAsync(run, "c1", "refund_order", new { order_id = "A1", amount = 600 });
        var reply = await agent.ReplyAsync(run, "Your refund is waiting for a supervisor.");

        reply.Str("delivery").ShouldBe("deliver");
        reply.Str("status").ShouldBe("awaiting_approval");
        (await agent.EventsAsync(run)).ShouldNotContain(e => e.Str("kind") == "intervention");
    }

    [Fact]
    public async Task DecideApproval_OperatorTookTheRunOverMeanwhile_LeavesItTakenOver()
    {
        var version = TestGateway.RefundDesk with { Handoff = TestGateway.RefundDesk.Handoff with { PauseOnApproval = true } };
        await using var gateway = await StartAsync(version, new CapturingLoggerProvider());
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var supervisor = await gateway.NewClientAsync("operator", name: "supervisor");
        var run = await agent.OpenRunAsync();
        var call = await agent.ProposeOkAsync(run, "c1", "refund_order", new { order_id = "A1", amount = 600 });
        await supervisor.InterveneOkAsync(run, "takeover");

        (await supervisor.DecideAsync(call.ApprovalId(), approve: false)).EnsureSuccessStatusCode();

        (await agent.DeliveriesAsync(run)).Str("status").ShouldBe("taken_over");
        (await agent.EventsAsync(run)).ShouldNotContain(e => e.Str("kind") == "intervention" && e.GetProperty("data").Str("action") == "release");
    }

    private static Task<TestGateway> StartAsync(Model.AgentVersion version, ILoggerProvider log) => new TestGateway(o =>
    {
        o.Agents.Clear();
        o.Agents.Add(version);
    })
    { Host = b => b.Logging.AddProvider(log) }.StartAsync();
}
