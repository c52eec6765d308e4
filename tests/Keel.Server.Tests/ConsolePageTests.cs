using System.Net;
using Keel.Model;
using Keel.Server.Console.Feed;
using Keel.Server.Console.Overview;
using Keel.Server.Console.Pages;
using Keel.Storage;

namespace Keel.Server.Tests;

/// <summary>The console's parts that need no browser (the browser tests are in Keel.Console.Tests).</summary>
public sealed class ConsolePageTests
{
    [Fact]
    public async Task ConsolePage_WithoutSession_RedirectsToSignIn()
    {
        await using var gateway = await new TestGateway().StartAsync();

        var response = await gateway.Client(null).GetAsync("/approvals");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldContain("/signin?ReturnUrl=%2Fapprovals");
    }

    [Fact]
    public async Task ConsolePage_WithAnApiKeyOnly_IsNotSignedIn()
    {
        await using var gateway = await new TestGateway().StartAsync();

        // A bearer key authenticates /v1 only; the console needs its session cookie.
        var response = await gateway.Admin.GetAsync("/");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task ConsoleStream_WithoutSession_IsRefused()
    {
        await using var gateway = await new TestGateway().StartAsync();

        var response = await gateway.Client(null).GetAsync("/console/stream");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Theory]
    [InlineData("htmx.min.js", "text/javascript")]
    [InlineData("htmx-ext-sse.min.js", "text/javascript")]
    [InlineData("htmx.LICENSE.txt", "text/plain")]
    public async Task ConsoleAssets_VendoredFile_IsServedFromTheAssembly(string name, string type)
    {
        await using var gateway = await new TestGateway().StartAsync();

        var response = await gateway.Client(null).GetAsync($"/console/assets/{name}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe(type);
        (await response.Content.ReadAsByteArrayAsync()).Length.ShouldBeGreaterThan(100);
    }

    [Fact]
    public async Task ConsoleAssets_UnknownName_IsNotFound()
    {
        await using var gateway = await new TestGateway().StartAsync();

        (await gateway.Client(null).GetAsync("/console/assets/Keel.Server.dll")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SignIn_PostWithoutAntiforgeryToken_IsRejected()
    {
        await using var gateway = await new TestGateway().StartAsync();

        var response = await gateway.Client(null).PostAsync("/signin", new FormUrlEncodedContent([new("key", gateway.AdminKey)]));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Contains("Set-Cookie").ShouldBeFalse();
    }

    [Theory]
    [InlineData(null, RunStatus.Active, true)]
    [InlineData(null, RunStatus.AwaitingApproval, true)]
    [InlineData(null, RunStatus.TakenOver, true)]
    [InlineData(null, RunStatus.Completed, false)]
    [InlineData("completed", RunStatus.Completed, true)]
    [InlineData("all", RunStatus.HandedOff, true)]
    [InlineData("no_such_status", RunStatus.Active, false)]
    public void FeedFilter_Status_AdmitsTheRightRuns(string? status, RunStatus runStatus, bool admitted) =>
        new FeedFilter(null, null, status, null).Admits(new RunSummary("r", "a", "1", runStatus, DateTimeOffset.UnixEpoch, 0)).ShouldBe(admitted);

    [Fact]
    public void FeedFilter_Query_EscapesValues() =>
        new FeedFilter("a b", null, null, "x&y").Query().ShouldBe("agent=a%20b&tag=x%26y");

    [Theory]
    [InlineData(null, "whatsapp", true)]
    [InlineData("whatsapp", "whatsapp", true)]
    [InlineData("whatsapp", "web", false)]
    [InlineData("replay", "replay", true)]
    public void FeedFilter_Channel_AdmitsOnlyRunsOfThatChannel(string? channel, string runChannel, bool admitted) =>
        new FeedFilter(null, null, "all", null, channel).Admits(new RunSummary("r", "a", "1", RunStatus.Active, DateTimeOffset.UnixEpoch, 0, runChannel)).ShouldBe(admitted);

    [Fact]
    public void FeedFilter_Query_CarriesTheChannel() =>
        new FeedFilter(null, null, null, null, "email").Query().ShouldBe("channel=email");

    [Fact]
    public void Percentile_NearestRank_OfTwentyValues()
    {
        double[] values = [.. Enumerable.Range(1, 20).Select(i => (double)i).Reverse()];

        AgentOverview.Percentile(values, 95).ShouldBe(19);
        AgentOverview.Percentile(values, 100).ShouldBe(20);
        AgentOverview.Percentile([], 95).ShouldBeNull();
    }

    [Fact]
    public void Bars_AgentNameWithMarkup_IsEncoded()
    {
        var figures = new[] { new AgentFigures("<script>x</script>", "1", 1, 0, null, null, null, 0, 0, 0, 0, []) };

        var svg = OverviewModel.Bars(figures, f => f.SuccessRate, 1, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture), "#000");

        svg.ShouldNotContain("<script>");
        svg.ShouldContain("&lt;script&gt;");
        svg.ShouldContain("unknown");
    }
}
