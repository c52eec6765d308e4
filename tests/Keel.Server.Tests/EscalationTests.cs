using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Keel.Escalation;
using Keel.Model;
using Keel.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Server.Tests;

/// <summary>Live escalation: a rule of the agent's <c>escalation.yaml</c> that fires on a customer message moves the run to
/// <c>handed_off</c>, stores the handoff packet, and the agent's next tool call and reply are answered <c>run-handed-off</c>.</summary>
public sealed class EscalationTests
{
    private const string Rules = """
        escalation: refund-desk
        version: "1"
        rules:
          - name: wants_a_person
            when: history.asked_for_human && stakes.customer_amount >= 1000
            team: refunds-tier2
            priority: p1
            reason: the customer asks for a person about a large sum
        """;

    [Fact]
    public async Task ProposeToolCall_AfterAnEscalationRuleFired_IsAnsweredHandedOffWithTheTeam()
    {
        var escalation = EscalationLoader.Parse(Rules, "escalation.yaml").Policy!;
        var agentVersion = TestGateway.RefundDesk with { Escalation = escalation };
        await using var gateway = await new TestGateway(o =>
        {
            o.Agents.Clear();
            o.Agents.Add(agentVersion);
        }).StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync("esc-1");
        (await agent.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role = "user", content = "Where is my refund for order 12?" }, TestGateway.Json)).EnsureSuccessStatusCode();
        await agent.ProposeOkAsync(run, "c1", "get_order", new { order_id = "12" });

        var angry = await agent.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role = "user", content = "I was charged $2,400 twice. Let me speak to a human now." }, TestGateway.Json);
        angry.StatusCode.ShouldBe(HttpStatusCode.Created, await angry.Content.ReadAsStringAsync());

        var next = await agent.ProposeAsync(run, "c2", "refund_order", new { order_id = "12", amount = 2400 });
        next.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await next.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("type").GetString().ShouldBe("urn:keel:problem:run-handed-off");
        problem.GetProperty("team").GetString().ShouldBe("refunds-tier2");
        problem.GetProperty("priority").GetString().ShouldBe("p1");
        problem.GetProperty("rule").GetString().ShouldBe("wants_a_person");
        gateway.Upstream.Count("refund_order").ShouldBe(0);

        var reply = await agent.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role = "assistant", content = "Refund done." }, TestGateway.Json);
        reply.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var stored = (await gateway.Services.GetRequiredService<IRunStore>().GetRunAsync(await WorkspaceAsync(gateway, run), run, TestContext.Current.CancellationToken))!;
        stored.Status.ShouldBe(RunStatus.HandedOff);
        stored.Handoff.ShouldNotBeNull().TargetTeam.ShouldBe("refunds-tier2");
        stored.Handoff.Stakes!.ShouldContain("2400");
        stored.Events.OfType<FindingEvent>().ShouldContain(f => f.Finding.Type == "escalation");
    }

    private static async Task<string> WorkspaceAsync(TestGateway gateway, string run) =>
        (await gateway.Admin.GetFromJsonAsync<JsonElement>($"/v1/runs/{run}")).GetProperty("workspace_id").GetString()!;
}
