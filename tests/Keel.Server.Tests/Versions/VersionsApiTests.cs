using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Keel.Storage.Sqlite;
using Keel.Storage.Sqlite.Gateway;
using Keel.Versions;

namespace Keel.Server.Tests.Versions;

/// <summary>The versions API over a real SQLite file: the same lifecycle as <c>keel version</c>, the caller's key id as the actor,
/// refusals as problem answers.</summary>
public sealed class VersionsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task VersionsApi_ValidateReleaseRolloutRollback_RoundTripsWithTheKeyAsActor()
    {
        using var bundles = new Bundles();
        await using var gateway = await new TestGateway().StartAsync();
        var (adminId, admin) = await gateway.NewKeyAsync("admin");
        var v1 = await RegisterAsync(gateway, Bundles.RefundDeskFolder);
        var v2 = await RegisterAsync(gateway, bundles.Frozen);

        (await admin.PostAsync($"/v1/agents/refund-desk/versions/{v1}/validate", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var released = await admin.PostAsJsonAsync($"/v1/agents/refund-desk/versions/{v1[..20]}/release", new { }, TestGateway.Json, Ct);
        released.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await released.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("event").GetProperty("actor").GetString().ShouldBe(adminId);
        (await admin.PostAsync($"/v1/agents/refund-desk/versions/{v2}/validate", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var rollout = await admin.PostAsJsonAsync($"/v1/agents/refund-desk/versions/{v2}/release", new { share = 10 }, TestGateway.Json, Ct);
        rollout.StatusCode.ShouldBe(HttpStatusCode.OK);

        var list = (await admin.GetFromJsonAsync<JsonElement>("/v1/agents/refund-desk/versions", Ct)).GetProperty("versions").EnumerateArray()
            .ToDictionary(v => v.GetProperty("hash").GetString()!, v => (v.GetProperty("state").GetString(), v.GetProperty("share_percent").GetInt32()));
        list[v1].ShouldBe(("released", 100));
        list[v2].ShouldBe(("released", 10));
        var one = await admin.GetFromJsonAsync<JsonElement>($"/v1/agents/refund-desk/versions/{v2}", Ct);
        one.GetProperty("label").GetString().ShouldBe("2.0.0-frozen");

        var diff = await admin.GetFromJsonAsync<JsonElement>($"/v1/agents/refund-desk/versions/diff?from={v1}&to={v2}", Ct);
        diff.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("text").GetString()).ShouldContain(t => t!.Contains("refund.frozen", StringComparison.Ordinal));

        var rollback = await admin.PostAsJsonAsync("/v1/agents/refund-desk/rollback", new { }, TestGateway.Json, Ct);
        rollback.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using (var other = new SqliteGatewayStore(new SqliteRunStoreOptions { Path = gateway.DatabasePath }, gateway.Time))
        {
            (await other.GetVersionAsync("default", v2, Ct))!.State.ShouldBe(Keel.Model.AgentVersionState.Validated);
        }

        var history = await admin.GetFromJsonAsync<JsonElement>("/v1/agents/refund-desk/versions/history", Ct);
        history.GetProperty("chain_intact").GetBoolean().ShouldBeTrue();
        history.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString())
            .ShouldBe(["register", "register", "validate", "release", "validate", "rollout", "rollback"]);
        history.GetProperty("entries").EnumerateArray().Last().GetProperty("actor").GetString().ShouldBe(adminId);
    }

    [Fact]
    public async Task VersionsApi_RefusedRequests_AnswerProblemsAndChangeNothing()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var admin = await gateway.NewClientAsync("admin");
        var operatorClient = await gateway.NewClientAsync("operator");
        var v1 = await RegisterAsync(gateway, Bundles.RefundDeskFolder);

        await ShouldBeProblemAsync(await admin.PostAsJsonAsync($"/v1/agents/refund-desk/versions/{v1}/release", new { }, TestGateway.Json, Ct), 409, "version-conflict");
        await ShouldBeProblemAsync(await admin.PostAsJsonAsync($"/v1/agents/refund-desk/versions/{v1}/release", new { share = 150 }, TestGateway.Json, Ct), 400, "invalid-request");
        await ShouldBeProblemAsync(await admin.PostAsync("/v1/agents/refund-desk/versions/sha256:ffff/validate", null, Ct), 404, "not-found");
        await ShouldBeProblemAsync(await admin.PostAsync($"/v1/agents/other-agent/versions/{v1}/validate", null, Ct), 400, "invalid-request");
        await ShouldBeProblemAsync(await admin.GetAsync("/v1/agents/refund-desk/versions/sha256:ffff", Ct), 404, "not-found");
        await ShouldBeProblemAsync(await admin.GetAsync($"/v1/agents/refund-desk/versions/diff?from={v1}", Ct), 400, "invalid-request");
        await ShouldBeProblemAsync(await operatorClient.PostAsync($"/v1/agents/refund-desk/versions/{v1}/validate", null, Ct), 403, "forbidden");
        (await operatorClient.GetAsync("/v1/agents/refund-desk/versions", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var state = (await admin.GetFromJsonAsync<JsonElement>($"/v1/agents/refund-desk/versions/{v1}", Ct)).GetProperty("state").GetString();
        state.ShouldBe("draft");
    }

    [Fact]
    public async Task ListVersions_RunsServedByAVersion_ShowTsrAndCpsrPerWorkflow()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var v1 = await RegisterAsync(gateway, Bundles.RefundDeskFolder);
        foreach (var (id, workflow, status, cost) in new[] { ("r1", "refunds", "completed", 0.25m), ("r2", "refunds", "completed", 0.5m), ("r3", "refunds", "failed", 0.75m), ("r4", "refunds", null, 1m), ("r5", "billing", "completed", 0.1m) })
        {
            (await agent.PostAsJsonAsync("/v1/runs", new { id, workflow_class = workflow }, TestGateway.Json, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
            (await agent.PostAsJsonAsync($"/v1/runs/{id}/messages", new { role = "assistant", content = "done", usage = new { tokens = 10, cost_usd = cost } }, TestGateway.Json, Ct)).IsSuccessStatusCode.ShouldBeTrue();
            if (status is not null)
            {
                (await agent.PostAsJsonAsync($"/v1/runs/{id}/close", new { status }, TestGateway.Json, Ct)).IsSuccessStatusCode.ShouldBeTrue();
            }
        }

        var version = (await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/agents/refund-desk/versions", Ct)).GetProperty("versions").EnumerateArray().Single();

        version.GetProperty("hash").GetString().ShouldBe(v1);
        var workflows = version.GetProperty("workflows").EnumerateArray().ToDictionary(w => w.GetProperty("workflow").GetString()!);
        workflows.Keys.ShouldBe(["billing", "refunds"]);
        var refunds = workflows["refunds"];
        (refunds.GetProperty("runs").GetInt32(), refunds.GetProperty("ended").GetInt32(), refunds.GetProperty("succeeded").GetInt32()).ShouldBe((4, 3, 2));
        refunds.GetProperty("tsr").GetDouble().ShouldBe(2.0 / 3, 1e-9);
        refunds.GetProperty("tsr_lower").GetDouble().ShouldBeLessThan(2.0 / 3);
        refunds.GetProperty("cost_usd").GetDecimal().ShouldBe(1.5m);
        refunds.GetProperty("cost_per_success_usd").GetDecimal().ShouldBe(0.75m);
        workflows["billing"].GetProperty("cost_per_success_usd").GetDecimal().ShouldBe(0.1m);
    }

    [Fact]
    public async Task RegisterVersion_UploadedFiles_GetTheFolderHashOnceAndBadUploadsAreRefused()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var (adminId, admin) = await gateway.NewKeyAsync("admin");
        var operatorClient = await gateway.NewClientAsync("operator");
        var folder = Bundles.RefundDeskFolder;
        var files = Directory.GetFiles(folder).Select(f => new { path = Path.GetFileName(f), content = File.ReadAllText(f) })
            .Append(new { path = "NOTES.md", content = "not read by the loader" }).ToList();

        var first = await admin.PostAsJsonAsync("/v1/agents/refund-desk/versions", new { files, note = "from the API" }, TestGateway.Json, Ct);
        var again = await admin.PostAsJsonAsync("/v1/agents/refund-desk/versions", new { files }, TestGateway.Json, Ct);

        first.StatusCode.ShouldBe(HttpStatusCode.Created, await first.Content.ReadAsStringAsync(Ct));
        var created = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var hash = BundleContent.Read(folder).Content.Hash;
        created.GetProperty("version").GetProperty("hash").GetString().ShouldBe(hash);
        created.GetProperty("version").GetProperty("state").GetString().ShouldBe("draft");
        created.GetProperty("version").GetProperty("created_by").GetString().ShouldBe(adminId);
        created.GetProperty("files").EnumerateArray().Select(f => f.GetString()).ShouldNotContain("NOTES.md");
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("created").GetBoolean().ShouldBeFalse();

        await ShouldBeProblemAsync(await admin.PostAsJsonAsync("/v1/agents/other-agent/versions", new { files }, TestGateway.Json, Ct), 400, "invalid-request");
        await ShouldBeProblemAsync(await admin.PostAsJsonAsync("/v1/agents/refund-desk/versions", new { files = files.Where(f => f.path != "tools.json") }, TestGateway.Json, Ct), 400, "invalid-request");
        await ShouldBeProblemAsync(await admin.PostAsJsonAsync("/v1/agents/refund-desk/versions", new { files = new[] { new { path = "agent.yaml", content_base64 = "@@" } } }, TestGateway.Json, Ct), 400, "invalid-request");
        await ShouldBeProblemAsync(await admin.PostAsJsonAsync("/v1/agents/refund-desk/versions", new { files = new[] { new { path = "../agent.yaml", content = "x" } } }, TestGateway.Json, Ct), 400, "invalid-request");
        await ShouldBeProblemAsync(await operatorClient.PostAsJsonAsync("/v1/agents/refund-desk/versions", new { files }, TestGateway.Json, Ct), 403, "forbidden");
        (await admin.GetFromJsonAsync<JsonElement>("/v1/agents/refund-desk/versions", Ct)).GetProperty("versions").GetArrayLength().ShouldBe(1);
    }

    private static async Task<string> RegisterAsync(TestGateway gateway, string folder)
    {
        await using var store = new SqliteGatewayStore(new SqliteRunStoreOptions { Path = gateway.DatabasePath }, gateway.Time);
        var (agent, content) = BundleContent.Read(folder);
        await store.RegisterVersionAsync("default", agent, content, "ops", null, Ct);
        return content.Hash;
    }

    private static async Task ShouldBeProblemAsync(HttpResponseMessage response, int status, string name)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        ((int)response.StatusCode).ShouldBe(status, body);
        JsonDocument.Parse(body).RootElement.GetProperty("type").GetString().ShouldBe("urn:keel:problem:" + name, body);
    }
}
