using System.Net.Http.Json;
using System.Text.Json;
using Keel.Model;
using Keel.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Server.Tests;

/// <summary>Runs <c>keel replay</c> stored in the gateway's database are told apart from live runs in the runs API.</summary>
public sealed class RunOriginTests
{
    [Fact]
    public async Task ListRuns_LiveAndReplayedRuns_CarryTheirChannelAndOrigin()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var live = await agent.OpenRunAsync("live-1");
        var workspace = (await gateway.Admin.GetFromJsonAsync<JsonElement>($"/v1/runs/{live}")).GetProperty("workspace_id").GetString()!;
        await gateway.Services.GetRequiredService<IRunStore>().SaveRunAsync(
            new Run("replayed-1", workspace, "refund-desk", "1", new DateTimeOffset(2024, 5, 15, 15, 0, 0, TimeSpan.Zero), Run.ReplayChannel), TestContext.Current.CancellationToken);

        var runs = (await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/runs")).GetProperty("runs").EnumerateArray()
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => (r.GetProperty("channel").GetString(), r.GetProperty("origin").GetString()));

        runs[live].ShouldBe(("api", "live"));
        runs["replayed-1"].ShouldBe(("replay", "replay"));
        (await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/runs/replayed-1")).GetProperty("origin").GetString().ShouldBe("replay");
    }
}
