using System.Text.RegularExpressions;
using Keel.Model;
using Keel.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shouldly;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Keel.Console.Tests;

/// <summary>The operator console in Chromium against a real <c>keel serve</c> on loopback (docs/console.md).</summary>
public sealed partial class ConsoleTests(ConsoleServer server) : IClassFixture<ConsoleServer>
{
    [Fact]
    public async Task SignIn_OperatorKey_ShowsTheWorkspaceAndSignsOut()
    {
        Assert.SkipWhen(server.SkipReason is not null, server.SkipReason ?? string.Empty);
        var context = await server.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        page.Url.ShouldStartWith(server.BaseUrl + "/signin");
        await page.GetByTestId("key").FillAsync("keel_nope_nope");
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByTestId("error")).ToContainTextAsync("unknown, revoked or malformed");
        await ConsoleServer.ScreenshotAsync(page, "signin");

        var agentKey = await server.NewKeyAsync("agent", "refund-desk");
        await page.GetByTestId("key").FillAsync(agentKey);
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByTestId("error")).ToContainTextAsync("cannot use the console");

        await page.GetByTestId("key").FillAsync(await server.NewKeyAsync("operator"));
        await page.GetByTestId("sign-in").ClickAsync();
        await page.WaitForURLAsync(server.BaseUrl + "/", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        await Expect(page.GetByTestId("workspace")).ToHaveTextAsync("default");
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "keel_console");
        cookie.HttpOnly.ShouldBeTrue();
        cookie.SameSite.ShouldBe(SameSiteAttribute.Strict);

        await page.GetByTestId("sign-out").ClickAsync();
        await page.WaitForURLAsync(new Regex("/signin"));
        (await context.CookiesAsync()).ShouldNotContain(c => c.Name == "keel_console");
        await context.CloseAsync();
    }

    [Fact]
    public async Task Feed_RunRiskRises_RunMovesUpWithoutReload()
    {
        Assert.SkipWhen(server.SkipReason is not null, server.SkipReason ?? string.Empty);
        using var agent = new Agent(server.Client(await server.NewKeyAsync("agent", "refund-desk")));
        var page = await server.SignedInPageAsync(await server.NewKeyAsync("operator"));
        var first = await agent.OpenRunAsync("feed-first-" + Guid.NewGuid().ToString("N")[..6]);
        await agent.MessageAsync(first, "user", "I need a refund for order A1.");
        var second = await agent.OpenRunAsync("feed-second-" + Guid.NewGuid().ToString("N")[..6]);
        await agent.MessageAsync(second, "user", "Where is my order?");

        // Both appear through the stream (the page is not reloaded); the newer run is above the older while both score the same.
        var rows = page.GetByTestId("feed-row");
        await Expect(page.Locator($"[data-run='{first}']")).ToBeVisibleAsync();
        await Expect(page.Locator($"[data-run='{second}']")).ToBeVisibleAsync();
        (await Position(page, second)).ShouldBeLessThan(await Position(page, first));

        // A held call gives the older run a pending approval: it moves above the newer one, with the part shown.
        (await agent.ProposeAsync(first, "c1", "refund_order", new { order_id = "A1", amount = 600 })).DecisionKind().ShouldBe("require_approval");
        await Expect(page.Locator($"[data-run='{first}'] .parts")).ToContainTextAsync("approvals 20 (1 pending)");
        (await Position(page, first)).ShouldBeLessThan(await Position(page, second));
        (await rows.CountAsync()).ShouldBeGreaterThanOrEqualTo(2);
        await ConsoleServer.ScreenshotAsync(page, "feed");

        await page.GetByRole(AriaRole.Link, new() { Name = first }).ClickAsync();
        await Expect(page.GetByTestId("run-id")).ToHaveTextAsync(first);
        await Expect(page.GetByTestId("audit")).ToContainTextAsync("verified");
        await Expect(page.Locator("[data-kind='decision']")).ToContainTextAsync("refund.supervisor");
        await Expect(page.Locator("[data-kind='tool_call']")).ToContainTextAsync("\"amount\": 600");
        await ConsoleServer.ScreenshotAsync(page, "run");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Approvals_ApprovedFromTheInbox_AgentsHeldCallCompletes()
    {
        Assert.SkipWhen(server.SkipReason is not null, server.SkipReason ?? string.Empty);
        using var agent = new Agent(server.Client(await server.NewKeyAsync("agent", "refund-desk")));
        var run = await agent.OpenRunAsync("approve-" + Guid.NewGuid().ToString("N")[..6]);
        var held = await agent.ProposeAsync(run, "c1", "refund_order", new { order_id = "B7", amount = 750 });
        held.DecisionKind().ShouldBe("require_approval");
        var approvalId = held.GetProperty("approval").GetProperty("id").GetString()!;
        var before = server.Upstream.Count("refund_order");

        var page = await server.SignedInPageAsync(await server.NewKeyAsync("operator", name: "supervisor-ana"));
        await page.GotoAsync("/approvals");
        var card = page.Locator($"[data-approval='{approvalId}']");
        await Expect(card.GetByTestId("rule")).ToHaveTextAsync("refund.supervisor");
        await Expect(card).ToContainTextAsync("\"amount\": 750");
        await Expect(card.GetByTestId("time-left")).ToContainTextAsync("left");
        await ConsoleServer.ScreenshotAsync(page, "approvals");
        await card.GetByTestId("note").FillAsync("customer verified by phone");
        await card.GetByTestId("approve").ClickAsync();
        await Expect(page.GetByTestId("message")).ToContainTextAsync("granted");
        await Expect(page.Locator($"[data-approval='{approvalId}']")).ToHaveCountAsync(0);

        // The agent proposes the same call again, as docs/gateway-api.md says: it runs, once.
        var resumed = await agent.ProposeAsync(run, "c2", "refund_order", new { order_id = "B7", amount = 750 });
        resumed.DecisionKind().ShouldBe("allow");
        resumed.GetProperty("result").GetProperty("status").GetString().ShouldBe("success");
        server.Upstream.Count("refund_order").ShouldBe(before + 1);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Handoffs_PacketShowsItsFieldsAndIsClaimed()
    {
        Assert.SkipWhen(server.SkipReason is not null, server.SkipReason ?? string.Empty);
        var id = "handoff-" + Guid.NewGuid().ToString("N")[..6];
        await SaveHandedOffRunAsync(id);
        var page = await server.SignedInPageAsync(await server.NewKeyAsync("operator", name: "lead-omar"));

        await page.GotoAsync("/handoffs");
        var card = page.Locator($"[data-testid='handoff'][data-run='{id}']");
        await Expect(card.GetByTestId("team")).ToHaveTextAsync("billing · high");
        await Expect(card.GetByTestId("ask")).ToHaveTextAsync("Refund the double charge on order C3.");
        await Expect(card.GetByTestId("failed")).ToContainTextAsync("refund above the 500 dollar limit");
        await Expect(card.GetByTestId("tools")).ToHaveTextAsync("get_order, refund_order");
        await Expect(card.GetByTestId("next")).ToHaveTextAsync("Call the customer and refund by hand.");
        await Expect(card.GetByTestId("claim-state")).ToContainTextAsync("unclaimed");
        await card.GetByTestId("claim").ClickAsync();
        await Expect(page.GetByTestId("message")).ToContainTextAsync("claimed by lead-omar");
        await Expect(card.GetByTestId("claim-state")).ToContainTextAsync("claimed by lead-omar");
        await ConsoleServer.ScreenshotAsync(page, "handoffs");

        // The claim is an event of the run, in its hash chain.
        await page.GotoAsync($"/runs/{id}");
        await Expect(page.Locator("[data-kind='intervention']")).ToContainTextAsync("handoff_claimed");
        await Expect(page.GetByTestId("audit")).ToContainTextAsync("verified");
        var stored = await server.Services.GetRequiredService<IRunStore>().GetRunAsync("default", id);
        stored!.Events.OfType<InterventionEvent>().ShouldHaveSingleItem().Operator.ShouldBe("lead-omar");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Overview_ShowsTheAgentsFigures()
    {
        Assert.SkipWhen(server.SkipReason is not null, server.SkipReason ?? string.Empty);
        using var agent = new Agent(server.Client(await server.NewKeyAsync("agent", "refund-desk")));
        var run = await agent.OpenRunAsync("overview-" + Guid.NewGuid().ToString("N")[..6]);
        (await agent.ProposeAsync(run, "c1", "refund_order", new { order_id = "D1", amount = 20 })).DecisionKind().ShouldBe("allow");
        var page = await server.SignedInPageAsync(await server.NewKeyAsync("operator"));

        await page.GotoAsync("/overview");
        var row = page.Locator("[data-testid='agent-row'][data-agent='refund-desk']");
        await Expect(row).ToContainTextAsync("1.0.0");
        await Expect(page.Locator("svg").First).ToBeVisibleAsync();
        await ConsoleServer.ScreenshotAsync(page, "overview");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task RunPage_AnotherWorkspacesRunId_IsRefused()
    {
        Assert.SkipWhen(server.SkipReason is not null, server.SkipReason ?? string.Empty);
        var workspace = "other-" + Guid.NewGuid().ToString("N")[..6];
        await server.NewWorkspaceAsync(workspace);
        using var otherAgent = new Agent(server.Client(await server.NewKeyAsync("agent", "refund-desk", workspace)));
        var foreign = await otherAgent.OpenRunAsync("foreign-" + Guid.NewGuid().ToString("N")[..6]);
        var page = await server.SignedInPageAsync(await server.NewKeyAsync("operator"));

        var response = await page.GotoAsync($"/runs/{foreign}");
        response!.Status.ShouldBe(403);
        await Expect(page.GetByTestId("refused")).ToContainTextAsync("belongs to another workspace");
        (await page.ContentAsync()).ShouldNotContain("Timeline");
        await Expect(page.Locator($"[data-run='{foreign}']")).ToHaveCountAsync(0);

        (await page.GotoAsync("/runs/no-such-run"))!.Status.ShouldBe(404);
        await page.GotoAsync("/");
        await Expect(page.Locator($"[data-run='{foreign}']")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Post_WithoutTheAntiforgeryToken_IsRejected()
    {
        Assert.SkipWhen(server.SkipReason is not null, server.SkipReason ?? string.Empty);
        using var agent = new Agent(server.Client(await server.NewKeyAsync("agent", "refund-desk")));
        var run = await agent.OpenRunAsync("csrf-" + Guid.NewGuid().ToString("N")[..6]);
        var held = await agent.ProposeAsync(run, "c1", "refund_order", new { order_id = "E5", amount = 900 });
        var approvalId = held.GetProperty("approval").GetProperty("id").GetString()!;
        var page = await server.SignedInPageAsync(await server.NewKeyAsync("operator"));

        // The session cookie goes with the request, the form's token does not: refused, nothing decided.
        var forged = await page.APIRequest.PostAsync("/approvals?handler=Decide", new APIRequestContextOptions
        {
            Form = page.APIRequest.CreateFormData().Set("id", approvalId).Set("decision", "approve"),
            MaxRedirects = 0,
        });
        forged.Status.ShouldBe(400);
        var signOut = await page.APIRequest.PostAsync("/signout", new APIRequestContextOptions { MaxRedirects = 0 });
        signOut.Status.ShouldBe(400);

        await page.GotoAsync("/approvals");
        await Expect(page.Locator($"[data-approval='{approvalId}']")).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    private static async Task<int> Position(IPage page, string run) =>
        (await page.GetByTestId("feed-row").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.run)")).ToList().IndexOf(run);

    /// <summary>A run that ended handed off, stored as <c>keel replay</c> stores one.</summary>
    private async Task SaveHandedOffRunAsync(string id)
    {
        var start = DateTimeOffset.Parse("2026-12-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var run = new Run(id, "default", "refund-desk", "1.0.0", start, "web") { Status = RunStatus.HandedOff };
        run.Append(new MessageEvent(MessageRole.User, "Refund the double charge on order C3.") { Timestamp = start });
        run.Append(new ToolCallEvent(new ToolCall("c1", "refund_order", "{\"order_id\":\"C3\",\"amount\":800}")) { Timestamp = start.AddSeconds(2) });
        run.Handoff = new HandoffPacket
        {
            RunId = id,
            Reason = "refund needs a person",
            CustomerAsk = "Refund the double charge on order C3.",
            ConversationTail = ["user: Refund the double charge on order C3."],
            ToolCalls = ["get_order", "refund_order"],
            WhatFailed = ["refund above the 500 dollar limit (refund.supervisor)"],
            SuggestedNextAction = "Call the customer and refund by hand.",
            TargetTeam = "billing",
            Priority = "high",
        };
        run.Append(new HandoffEvent(run.Handoff) { Timestamp = start.AddSeconds(3) });
        await server.Services.GetRequiredService<IRunStore>().SaveRunAsync(run);
    }
}
