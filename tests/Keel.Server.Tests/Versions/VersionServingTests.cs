using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Keel.Storage.Sqlite;
using Keel.Storage.Sqlite.Gateway;
using Keel.Versions;

namespace Keel.Server.Tests.Versions;

/// <summary>The gateway serves the registry's released version of an agent (released by another store instance, as <c>keel version</c>
/// in another process would), assigns runs of a staged rollout sticky by run id, records the version on each run, and rebuilds a
/// stored run with the version it started with.</summary>
public sealed class VersionServingTests
{
    private const string Workspace = "default";
    private static readonly object SmallRefund = new { order_id = "A1", amount = 10 };

    [Fact]
    public async Task OpenRun_NoReleasedVersion_ServedByTheConfiguredBundleAndRecordsItsHash()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");

        var run = await OpenAsync(agent, "configured-1");

        Arm(run).ShouldBe("configured");
        Hash(run).ShouldBe(TestGateway.RefundDesk.ContentHash);
        TestGateway.RefundDesk.ContentHash.ShouldBe(BundleContent.Read(Bundles.RefundDeskFolder).Content.Hash);
        run.GetProperty("version").GetProperty("bucket").GetInt32().ShouldBe(RolloutAssignment.Bucket(Workspace, "refund-desk", "configured-1"));
    }

    [Fact]
    public async Task OpenRun_ReleaseThenRollbackByAnotherStore_NextRunServedByEachInTurn()
    {
        using var bundles = new Bundles();
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        await using var other = new SqliteGatewayStore(new SqliteRunStoreOptions { Path = gateway.DatabasePath }, gateway.Time);
        var v1 = await Bundles.ReleaseAsync(other, Bundles.RefundDeskFolder, 100);
        var v2 = await Bundles.ReleaseAsync(other, bundles.Frozen, 100);

        var underV2 = await OpenAsync(agent, "after-release");
        (await other.ApplyVersionActionAsync(Workspace, new VersionAction(VersionActionKind.Rollback, "refund-desk", null, "ops"), TestContext.Current.CancellationToken)).Succeeded.ShouldBeTrue();
        var underV1 = await OpenAsync(agent, "after-rollback");

        (Hash(underV2), Arm(underV2), underV2.GetProperty("agent_version").GetString()).ShouldBe((v2, "stable", "2.0.0-frozen"));
        (Hash(underV1), Arm(underV1), underV1.GetProperty("agent_version").GetString()).ShouldBe((v1, "stable", "1.0.0"));
        (await agent.ProposeOkAsync("after-release", "c1", "refund_order", SmallRefund)).DecisionKind().ShouldBe("deny");
        (await agent.ProposeOkAsync("after-rollback", "c1", "refund_order", SmallRefund)).DecisionKind().ShouldBe("allow");
    }

    [Fact]
    public async Task OpenRun_StagedRollout_AssignmentFollowsTheBucketAndIsListed()
    {
        using var bundles = new Bundles();
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        await using var other = new SqliteGatewayStore(new SqliteRunStoreOptions { Path = gateway.DatabasePath }, gateway.Time);
        var stable = await Bundles.ReleaseAsync(other, Bundles.RefundDeskFolder, 100);
        var candidate = await Bundles.ReleaseAsync(other, bundles.Frozen, 30);

        var opened = new List<JsonElement>();
        for (var i = 0; i < 40; i++)
        {
            opened.Add(await OpenAsync(agent, $"rollout-{i}"));
        }

        foreach (var run in opened)
        {
            var bucket = RolloutAssignment.Bucket(Workspace, "refund-desk", run.GetProperty("id").GetString()!);
            run.GetProperty("version").GetProperty("bucket").GetInt32().ShouldBe(bucket);
            (Hash(run), Arm(run)).ShouldBe(bucket < 30 ? (candidate, "candidate") : (stable, "stable"));
        }

        opened.Count(r => Arm(r) == "candidate").ShouldBeInRange(1, 39);
        var listed = (await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/runs?limit=100", TestContext.Current.CancellationToken)).GetProperty("runs").EnumerateArray()
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => Hash(r));
        foreach (var run in opened)
        {
            listed[run.GetProperty("id").GetString()!].ShouldBe(Hash(run));
        }

        var retried = await agent.PostAsJsonAsync("/v1/runs", new { id = "rollout-0" }, TestGateway.Json, TestContext.Current.CancellationToken);
        retried.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        Hash(await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/runs/rollout-0", TestContext.Current.CancellationToken)).ShouldBe(Hash(opened[0]));
    }

    [Fact]
    public async Task ProposeToolCall_RunRebuiltAfterRollbackAndRestart_KeepsTheVersionItStartedWith()
    {
        using var bundles = new Bundles();
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        await using var other = new SqliteGatewayStore(new SqliteRunStoreOptions { Path = gateway.DatabasePath }, gateway.Time);
        await Bundles.ReleaseAsync(other, Bundles.RefundDeskFolder, 100);
        var frozen = await Bundles.ReleaseAsync(other, bundles.Frozen, 100);
        await OpenAsync(agent, "started-frozen");

        (await other.ApplyVersionActionAsync(Workspace, new VersionAction(VersionActionKind.Rollback, "refund-desk", null, "ops"), TestContext.Current.CancellationToken)).Succeeded.ShouldBeTrue();
        await gateway.RestartAsync();
        agent = await gateway.NewClientAsync("agent", "refund-desk");

        var outcome = await agent.ProposeOkAsync("started-frozen", "c1", "refund_order", SmallRefund);
        outcome.DecisionKind().ShouldBe("deny");
        outcome.GetProperty("decision").GetProperty("rule_id").GetString().ShouldBe("refund.frozen");
        Hash(await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/runs/started-frozen", TestContext.Current.CancellationToken)).ShouldBe(frozen);
    }

    [Fact]
    public async Task RegistryOnlyAgent_KeysToolsAndRunsAreServedFromItsReleasedVersion()
    {
        using var bundles = new Bundles();
        var folder = Path.Combine(Path.GetDirectoryName(bundles.Frozen)!, "returns-desk");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Bundles.RefundDeskFolder))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var manifest = Path.Combine(folder, "agent.yaml");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("name: refund-desk", "name: returns-desk", StringComparison.Ordinal));
        await using var gateway = await new TestGateway().StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var before = await gateway.Admin.PostAsJsonAsync("/v1/keys", new { name = "early", role = "agent", agent = "returns-desk" }, TestGateway.Json, ct);
        await using var other = new SqliteGatewayStore(new SqliteRunStoreOptions { Path = gateway.DatabasePath }, gateway.Time);
        var hash = await Bundles.ReleaseAsync(other, folder, 100);

        var agent = await gateway.NewClientAsync("agent", "returns-desk");
        var tools = await agent.GetFromJsonAsync<JsonElement>("/v1/tools", ct);
        var run = await OpenAsync(agent, "returns-1");
        var unknown = await gateway.Admin.PostAsJsonAsync("/v1/keys", new { name = "x", role = "agent", agent = "nobody" }, TestGateway.Json, ct);

        before.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        tools.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ShouldContain("refund_order");
        (Hash(run), Arm(run)).ShouldBe((hash, "stable"));
        (await agent.ProposeOkAsync("returns-1", "c1", "refund_order", SmallRefund)).DecisionKind().ShouldBe("allow");
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // The console feed scores the run against its own version's budget (max_tool_calls: 200), not an unlimited one.
        var feed = await gateway.Services.GetRequiredService<Keel.Server.Console.Feed.LiveFeed>()
            .LoadAsync(Workspace, new Keel.Server.Console.Feed.FeedFilter(null, null, "all", null), ct);
        feed.Rows.Single(r => r.Run.Id == "returns-1").Risk.Parts.Single(p => p.Name == Keel.Risk.RiskScore.Budget).Detail.ShouldEndWith("used");
    }

    private static async Task<JsonElement> OpenAsync(HttpClient agent, string id)
    {
        var response = await agent.PostAsJsonAsync("/v1/runs", new { id }, TestGateway.Json, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    private static string? Hash(JsonElement run) => run.GetProperty("version").GetProperty("hash").GetString();

    private static string? Arm(JsonElement run) => run.GetProperty("version").GetProperty("arm").GetString();
}
