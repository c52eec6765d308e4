using System.Net.Http.Json;
using System.Text.Json;
using Keel.Model;
using Keel.Server.Console.Feed;
using Keel.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Server.Tests;

/// <summary>The console feed's tag filter is the store's: tagged runs older than the first page of listings still show.</summary>
public sealed class FeedTagFilterTests
{
    [Fact]
    public async Task LoadAsync_TaggedRunsBehindFiftyUntaggedOnes_ShowsTheTaggedRuns()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var probe = await agent.OpenRunAsync("probe");
        var workspace = (await gateway.Admin.GetFromJsonAsync<JsonElement>($"/v1/runs/{probe}", ct)).GetProperty("workspace_id").GetString()!;
        var start = gateway.Time.GetUtcNow().AddDays(-1);
        var runs = Enumerable.Range(0, 60).Select(i =>
        {
            var run = new Run($"r{i:00}", workspace, "refund-desk", "1", start.AddMinutes(i), Run.ReplayChannel);
            run.Append(new MessageEvent(MessageRole.User, "hello") { Timestamp = start });
            if (i < 3)
            {
                // The three oldest: behind 57 newer untagged runs.
                run.Append(new FindingEvent(new Finding("confused_customer", FindingSeverity.Low, "confused", [1], "conversation_tags")) { Timestamp = start });
            }

            return run;
        }).ToList();
        await gateway.Services.GetRequiredService<IRunStore>().SaveRunsAsync(runs, ct);

        var page = await gateway.Services.GetRequiredService<LiveFeed>().LoadAsync(workspace, new FeedFilter(null, null, "all", "confused_customer"), ct);

        page.Rows.Select(r => r.Run.Id).ShouldBe(["r00", "r01", "r02"], ignoreOrder: true);
        page.Matching.ShouldBe(3);
        page.Rows.ShouldAllBe(r => r.Tags.Contains("confused_customer"));
    }
}
