using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Keel.Model;
using Keel.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Server.Tests;

/// <summary><c>GET /v1/runs?tag=…&amp;sentiment_below=…&amp;cursor=…</c>: the runs API filters on the tags and customer sentiment the
/// monitors computed (live and replayed runs alike), pages with a cursor, and answers bad values with a 400 naming the parameter.</summary>
public sealed class RunFilterTests
{
    private const string Calm = "Thanks, that sounds great.";
    private const string Angry = "This is terrible, I am furious and I hate this.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListRuns_TagAndSentimentBelow_ReturnTheLiveRunWhoseCustomerTurnedNegative()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var turned = await agent.OpenRunAsync("turned");
        await SayAsync(agent, turned, "user", Calm);
        await SayAsync(agent, turned, "assistant", "Let me look at your order.");
        await SayAsync(agent, turned, "user", Angry);
        var calm = await agent.OpenRunAsync("calm");
        await SayAsync(agent, calm, "user", Calm);

        var filtered = await ListAsync(gateway.Admin, "?tag=sentiment_turned_negative&sentiment_below=-0.05");
        var all = await ListAsync(gateway.Admin, "");

        filtered.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ShouldBe([turned]);
        filtered.GetProperty("runs")[0].GetProperty("customer_sentiment").GetDouble().ShouldBeLessThan(-0.5);
        Next(filtered).ShouldBeNull();
        all.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ShouldBe([calm, turned], ignoreOrder: true);
        (await ListAsync(gateway.Admin, "?sentiment_below=0.5")).GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ShouldBe([turned]);
    }

    [Fact]
    public async Task ListRuns_PagedWithATagFilter_FollowsNextThroughEveryMatchOnce()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var workspace = await WorkspaceAsync(gateway);
        var start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        var runs = Enumerable.Range(0, 9).Select(i => Replayed(workspace, $"r{i}", start.AddMinutes(i / 2), i % 3 == 0 ? "outcome_escalated" : "outcome_resolved")).ToList();
        await gateway.Services.GetRequiredService<IRunStore>().SaveRunsAsync(runs, Ct);

        var seen = new List<string>();
        var next = "";
        var pages = 0;
        do
        {
            var page = await ListAsync(gateway.Admin, $"?tag=outcome_resolved&limit=2{(next.Length > 0 ? "&cursor=" + Uri.EscapeDataString(next) : "")}");
            seen.AddRange(page.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString()!));
            next = Next(page) ?? "";
            pages++;
        }
        while (next.Length > 0 && pages < 10);

        seen.ShouldBe(["r8", "r7", "r4", "r5", "r2", "r1"]); // newest first, ties by id
        pages.ShouldBe(3);
    }

    [Fact]
    public async Task ListRuns_AgentKey_GetsAFullPageOfItsOwnAgentsRuns()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var own = await agent.OpenRunAsync("own");
        var workspace = (await gateway.Admin.GetFromJsonAsync<JsonElement>($"/v1/runs/{own}", Ct)).GetProperty("workspace_id").GetString()!;
        var later = gateway.Time.GetUtcNow().AddHours(1);
        await gateway.Services.GetRequiredService<IRunStore>().SaveRunsAsync(
            [.. Enumerable.Range(0, 3).Select(i => new Run($"other-{i}", workspace, "other-agent", "1", later.AddMinutes(i), Run.ReplayChannel))], Ct);

        var page = await ListAsync(agent, "?limit=1");

        page.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ShouldBe([own]);
    }

    [Theory]
    [InlineData("sentiment_below=abc", "query:sentiment_below")]
    [InlineData("sentiment_below=1.5", "query:sentiment_below")]
    [InlineData("sentiment_below=NaN", "query:sentiment_below")]
    [InlineData("sentiment_below=-0.1&sentiment_below=0.1", "query:sentiment_below")]
    [InlineData("tag=", "query:tag")]
    [InlineData("tag=a&tag=b&tag=c&tag=d&tag=e&tag=f&tag=g&tag=h&tag=i&tag=j&tag=k", "query:tag")]
    [InlineData("cursor=bm90LWEtY3Vyc29y", "query:cursor")]
    [InlineData("cursor=%25%25", "query:cursor")]
    public async Task ListRuns_BadFilter_Answers400NamingTheParameter(string query, string parameter)
    {
        await using var gateway = await new TestGateway().StartAsync();

        var response = await gateway.Admin.GetAsync($"/v1/runs?{query}", Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        var problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("type").GetString().ShouldBe("urn:keel:problem:invalid-request");
        problem.GetProperty("errors").TryGetProperty(parameter, out _).ShouldBeTrue(text);
    }

    private static Run Replayed(string workspace, string id, DateTimeOffset start, string tag)
    {
        var run = new Run(id, workspace, "refund-desk", "1", start, Run.ReplayChannel);
        run.Append(new MessageEvent(MessageRole.User, Calm) { Timestamp = start });
        run.Append(new FindingEvent(new Finding(tag, FindingSeverity.Info, tag, [1], "conversation_tags")) { Timestamp = start });
        return run;
    }

    private static async Task SayAsync(HttpClient agent, string run, string role, string content) =>
        (await agent.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role, content }, TestGateway.Json, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);

    private static async Task<JsonElement> ListAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/v1/runs{query}", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string? Next(JsonElement page) =>
        page.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;

    private static async Task<string> WorkspaceAsync(TestGateway gateway)
    {
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var probe = await agent.OpenRunAsync();
        return (await gateway.Admin.GetFromJsonAsync<JsonElement>($"/v1/runs/{probe}", Ct)).GetProperty("workspace_id").GetString()!;
    }
}
