using System.Net.Http.Json;
using Keel.Model;
using Keel.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shouldly;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Keel.Console.Tests;

/// <summary>The run page's intervention controls in Chromium against a real <c>keel serve</c> (docs/console.md, "Intervention
/// controls"): what the operator does on the page is what the agent's host receives through the delivery long-poll.</summary>
public sealed partial class ConsoleTests
{
    [Fact]
    public async Task RunPage_PausedRunHeldReplyEditedAndSent_HostReceivesTheEditedText()
    {
        Assert.SkipWhen(server.SkipReason is not null, server.SkipReason ?? string.Empty);
        using var agent = new Agent(server.Client(await server.NewKeyAsync("agent", "refund-desk")));
        var run = await agent.OpenRunAsync("held-" + Guid.NewGuid().ToString("N")[..6]);
        await agent.MessageAsync(run, "user", "Please refund the 90 USD for order F2.");
        var page = await server.SignedInPageAsync(await server.NewKeyAsync("operator", name: "dana"));
        await page.GotoAsync($"/runs/{run}");
        await Expect(page.GetByTestId("intervention-state")).ToContainTextAsync("active");

        await page.GetByTestId("intervention-note").FillAsync("refund amount looks wrong");
        await page.GetByTestId("pause").ClickAsync();
        await Expect(page.GetByTestId("message")).ToHaveTextAsync("Run paused by dana.");
        await Expect(page.GetByTestId("intervention-state")).ToContainTextAsync("paused by dana");

        // Everything below reaches the open page over its run stream, without a reload.
        const string draft = "Your refund of 900 USD is on its way.";
        var answer = await agent.ReplyAsync(run, draft);
        answer.GetProperty("delivery").GetString().ShouldBe("held");
        var interventionId = answer.GetProperty("intervention_id").GetString()!;
        var heldAt = answer.GetProperty("sequence").GetInt64();

        var held = page.Locator($"[data-testid='held-reply'][data-intervention='{interventionId}']");
        await Expect(held.GetByTestId("draft")).ToHaveTextAsync(draft);
        await Expect(held.GetByTestId("held-text")).ToHaveValueAsync(draft);
        await Expect(held).ToContainTextAsync("on web");
        await Expect(page.Locator("[data-testid='event'][data-kind='intervention']").Last).ToContainTextAsync("hold by");
        await ConsoleServer.ScreenshotAsync(page, "run-held-reply");

        // The operator is typing when the customer writes again: the new message shows, the text being typed stays.
        const string edited = "Your refund of 90 USD is on its way.";
        await held.GetByTestId("held-text").FillAsync(edited);
        await agent.MessageAsync(run, "user", "Is it done yet?");
        await Expect(page.GetByTestId("event").Last).ToContainTextAsync("Is it done yet?");
        await Expect(held.GetByTestId("held-text")).ToHaveValueAsync(edited);

        // The host waits on the long-poll from the hold on; the operator's edit is what it gets, the draft never.
        var poll = agent.DeliveriesAsync(run, heldAt, wait: 30);
        await held.GetByTestId("edit").ClickAsync();
        await Expect(page.GetByTestId("message")).ToHaveTextAsync($"Held reply {interventionId}: edit.");
        await Expect(page.GetByTestId("held-reply")).ToHaveCountAsync(0);

        var delivery = (await poll).Where(d => d.GetProperty("type").GetString() == "decision").ShouldHaveSingleItem();
        delivery.GetProperty("type").GetString().ShouldBe("decision");
        delivery.GetProperty("intervention_id").GetString().ShouldBe(interventionId);
        delivery.GetProperty("decision").GetString().ShouldBe("edit");
        delivery.GetProperty("text").GetString().ShouldBe(edited);
        delivery.GetProperty("role").GetString().ShouldBe("assistant");
        delivery.GetProperty("by").GetString().ShouldBe("dana");

        var stored = await server.Services.GetRequiredService<IRunStore>().GetRunAsync("default", run);
        stored!.Events.OfType<MessageEvent>().Where(m => m.Role == MessageRole.Assistant).ShouldHaveSingleItem().Content.ShouldBe(edited);

        // A held call's approval shows on the open page too.
        await Expect(page.GetByTestId("waiting-approvals")).ToHaveTextAsync("none");
        var call = await agent.ProposeAsync(run, "c1", "refund_order", new { order_id = "F2", amount = 600 });
        call.DecisionKind().ShouldBe("require_approval");
        await Expect(page.GetByTestId("waiting-approval")).ToContainTextAsync("refund_order");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task RunPage_TakeoverWriteRelease_HostGetsTheOperatorMessageThenTheAgentsReply()
    {
        Assert.SkipWhen(server.SkipReason is not null, server.SkipReason ?? string.Empty);
        using var agent = new Agent(server.Client(await server.NewKeyAsync("agent", "refund-desk")));
        var run = await agent.OpenRunAsync("takeover-" + Guid.NewGuid().ToString("N")[..6]);
        await agent.MessageAsync(run, "user", "I was charged twice.");
        var page = await server.SignedInPageAsync(await server.NewKeyAsync("operator", name: "omar"));
        await page.GotoAsync($"/runs/{run}");

        await page.GetByTestId("takeover").ClickAsync();
        await Expect(page.GetByTestId("intervention-state")).ToContainTextAsync("taken over by omar");
        const string text = "Hi, this is Omar from support. I am refunding the second charge now.";
        await page.GetByTestId("operator-text").FillAsync(text);
        await page.GetByTestId("write").ClickAsync();
        await Expect(page.GetByTestId("message")).ToHaveTextAsync("Message sent to the customer.");

        var deliveries = await agent.DeliveriesAsync(run, after: 0, wait: 10);
        deliveries.Select(d => d.GetProperty("type").GetString()).ShouldBe(["taken_over", "operator_message"]);
        deliveries[1].GetProperty("text").GetString().ShouldBe(text);
        deliveries[1].GetProperty("role").GetString().ShouldBe("operator");
        deliveries[1].GetProperty("by").GetString().ShouldBe("omar");
        (await agent.ReplyAsync(run, "Thanks, I will take it from here.")).GetProperty("delivery").GetString().ShouldBe("held");

        await page.GetByTestId("release").ClickAsync();
        await Expect(page.GetByTestId("message")).ToHaveTextAsync("Run released by omar.");
        await Expect(page.GetByTestId("intervention-state")).ToContainTextAsync("active");
        await Expect(page.GetByTestId("operator-text")).ToHaveCountAsync(0);
        var next = await agent.ReplyAsync(run, "Is there anything else I can help with?");
        next.GetProperty("delivery").GetString().ShouldBe("deliver");
        next.GetProperty("status").GetString().ShouldBe("active");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task RunPage_StaleRelease_ShowsTheErrorAndChangesNothing()
    {
        Assert.SkipWhen(server.SkipReason is not null, server.SkipReason ?? string.Empty);
        using var agent = new Agent(server.Client(await server.NewKeyAsync("agent", "refund-desk")));
        var run = await agent.OpenRunAsync("stale-" + Guid.NewGuid().ToString("N")[..6]);
        var operatorKey = await server.NewKeyAsync("operator");
        var page = await server.SignedInPageAsync(operatorKey);

        // This page does not follow the run live (its change stream is cut), so it still shows the run paused after another operator
        // released it; with its stream, the page would drop the Release button as soon as the release commits.
        await page.RouteAsync("**/stream", route => route.AbortAsync());
        await page.GotoAsync($"/runs/{run}");
        await page.GetByTestId("pause").ClickAsync();
        await Expect(page.GetByTestId("intervention-state")).ToContainTextAsync("paused");

        // Another operator releases through the API while this page still shows the run paused.
        using var other = server.Client(operatorKey);
        (await other.PostAsJsonAsync($"/v1/runs/{run}/release", new { }, ConsoleServer.Json)).EnsureSuccessStatusCode();
        await page.GetByTestId("release").ClickAsync();
        await Expect(page.GetByTestId("message")).ToContainTextAsync($"run '{run}': a run that is active cannot be released");
        await Expect(page.Locator(".message.error")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("intervention-state")).ToContainTextAsync("active");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task RunPage_InterveneOnAnotherWorkspacesRun_IsRefusedAndChangesNothing()
    {
        Assert.SkipWhen(server.SkipReason is not null, server.SkipReason ?? string.Empty);
        var workspace = "other-" + Guid.NewGuid().ToString("N")[..6];
        await server.NewWorkspaceAsync(workspace);
        using var otherAgent = new Agent(server.Client(await server.NewKeyAsync("agent", "refund-desk", workspace)));
        var foreign = await otherAgent.OpenRunAsync("foreign-" + Guid.NewGuid().ToString("N")[..6]);
        using var agent = new Agent(server.Client(await server.NewKeyAsync("agent", "refund-desk")));
        var own = await agent.OpenRunAsync("own-" + Guid.NewGuid().ToString("N")[..6]);
        var page = await server.SignedInPageAsync(await server.NewKeyAsync("operator"));
        await page.GotoAsync($"/runs/{own}");
        var token = await page.Locator("#intervention input[name='__csrf']").First.InputValueAsync();

        // A valid session and token, another workspace's run id: refused as the approvals inbox refuses, nothing recorded on it.
        var forged = await page.APIRequest.PostAsync($"/runs/{foreign}?handler=Intervene", new APIRequestContextOptions
        {
            Form = page.APIRequest.CreateFormData().Set("__csrf", token).Set("action", "takeover"),
            MaxRedirects = 0,
        });
        forged.Status.ShouldBe(302);
        forged.Headers["location"].ShouldContain("/signin");
        var stored = await server.Services.GetRequiredService<IRunStore>().GetRunAsync(workspace, foreign);
        stored!.Status.ShouldBe(RunStatus.Active);
        stored.Events.OfType<InterventionEvent>().ShouldBeEmpty();
        await page.Context.CloseAsync();
    }
}
