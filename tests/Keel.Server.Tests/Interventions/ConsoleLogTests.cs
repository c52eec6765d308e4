using System.Net.Http.Json;
using Microsoft.Extensions.Logging;

namespace Keel.Server.Tests.Interventions;

public sealed class ConsoleLogTests
{
    [Fact]
    public async Task Serve_HeldCallApprovalAndInterventions_WritesOneInformationLineEachWithoutContent()
    {
        var log = new CapturingLoggerProvider();
        await using var gateway = await new TestGateway { Host = b => b.Logging.AddProvider(log) }.StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var supervisor = await gateway.NewClientAsync("operator", name: "supervisor");
        var run = await agent.OpenRunAsync();

        var call = await agent.ProposeOkAsync(run, "c1", "refund_order", new { order_id = "A1", amount = 600 });
        (await supervisor.DecideAsync(call.ApprovalId(), approve: true)).EnsureSuccessStatusCode();
        await supervisor.InterveneOkAsync(run, "pause");
        var held = await agent.ReplyAsync(run, "Secret draft text.");
        (await supervisor.DecideReplyAsync(run, held.Str("intervention_id"), "replace", "Operator replacement text.")).EnsureSuccessStatusCode();
        await supervisor.InterveneOkAsync(run, "takeover");
        (await supervisor.PostAsJsonAsync($"/v1/runs/{run}/operator-messages", new { content = "Operator message text." }, TestGateway.Json)).EnsureSuccessStatusCode();
        await supervisor.InterveneOkAsync(run, "release");

        var lines = log.Lines.Where(l => l.EventId is >= 4001 and <= 4099).ToArray();
        lines.Select(l => l.EventId).ShouldBe([4001, 4003, 4004, 4005, 4006, 4004, 4007, 4004]);
        lines.ShouldAllBe(l => l.Level == LogLevel.Information && l.Message.Contains(run));
        lines.ShouldAllBe(l => !l.Message.Contains("text."));
        lines[0].Message.ShouldContain("refund_order");
        lines[1].Message.ShouldContain("approve by supervisor");
    }

    [Fact]
    public async Task Serve_ApprovalExpiresUndecided_WritesOneLine()
    {
        var log = new CapturingLoggerProvider();
        await using var gateway = await new TestGateway { Host = b => b.Logging.AddProvider(log) }.StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var supervisor = await gateway.NewClientAsync("operator", name: "supervisor");
        var run = await agent.OpenRunAsync();
        var expiring = await agent.ProposeOkAsync(run, "c1", "refund_order", new { order_id = "A1", amount = 600 });
        var decided = await agent.ProposeOkAsync(run, "c2", "refund_order", new { order_id = "B2", amount = 700 });
        (await supervisor.DecideAsync(decided.ApprovalId(), approve: false)).EnsureSuccessStatusCode();

        gateway.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        // The expiry sweep runs once a second in the background; wait for its line (at most 20 rounds).
        for (var round = 0; round < 20 && !log.Lines.Any(l => l.EventId == 4010); round++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken); // a second line, were there one, would be written by now

        var line = log.Lines.Where(l => l.EventId == 4010).ShouldHaveSingleItem();
        line.Message.ShouldContain($"approval {expiring.ApprovalId()} in run");
        line.Message.ShouldContain("call c1 to refund_order");
    }

    [Fact]
    public async Task Serve_RefusedIntervention_WritesNoLine()
    {
        var log = new CapturingLoggerProvider();
        await using var gateway = await new TestGateway { Host = b => b.Logging.AddProvider(log) }.StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();

        (await gateway.Admin.InterveneAsync(run, "release")).StatusCode.ShouldBe(System.Net.HttpStatusCode.Conflict);

        log.Lines.ShouldNotContain(l => l.EventId == 4004);
    }
}
