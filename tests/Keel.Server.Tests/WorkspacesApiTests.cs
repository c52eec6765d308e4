using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Keel.Server.Tests;

/// <summary><c>/v1/workspaces</c> and the <c>platform_admin</c> role: only the bootstrap key (or another platform admin) creates
/// and lists workspaces; workspace admins cannot make themselves platform admins.</summary>
public sealed class WorkspacesApiTests
{
    [Fact]
    public async Task BootstrapKey_OnANewDatabase_IsAPlatformAdmin()
    {
        await using var gateway = await new TestGateway().StartAsync();

        var keys = await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/keys");

        keys.GetProperty("keys").EnumerateArray().ShouldHaveSingleItem().GetProperty("role").GetString().ShouldBe("platform_admin");
    }

    [Fact]
    public async Task CreateWorkspace_PlatformAdmin_Is201WithAWorkingAdminKeyAndListed()
    {
        await using var gateway = await new TestGateway().StartAsync();
        gateway.Time.Advance(TimeSpan.FromSeconds(1));

        var response = await gateway.Admin.PostAsJsonAsync("/v1/workspaces", new { name = "Acme Support" }, TestGateway.Json);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        response.Headers.Location!.ToString().ShouldBe("/v1/workspaces/acme-support");
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        created.GetProperty("id").GetString().ShouldBe("acme-support");
        created.GetProperty("name").GetString().ShouldBe("Acme Support");
        created.GetProperty("created_at").GetDateTimeOffset().ShouldBe(gateway.Time.GetUtcNow());
        created.GetProperty("admin_key").GetProperty("role").GetString().ShouldBe("admin");
        var acmeAdmin = gateway.Client(created.GetProperty("admin_key").GetProperty("key").GetString());
        var acmeKeys = await acmeAdmin.GetFromJsonAsync<JsonElement>("/v1/keys");
        acmeKeys.GetProperty("keys").EnumerateArray().ShouldHaveSingleItem().GetProperty("id").GetString().ShouldBe(created.GetProperty("admin_key").GetProperty("id").GetString());
        var list = await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/workspaces");
        list.GetProperty("workspaces").EnumerateArray().Select(w => w.GetProperty("id").GetString()).ShouldBe(["default", "acme-support"]);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("operator")]
    [InlineData("agent")]
    public async Task Workspaces_AnyOtherRole_Is403AndRecorded(string role)
    {
        await using var gateway = await new TestGateway().StartAsync();
        var client = await gateway.NewClientAsync(role, role == "agent" ? "refund-desk" : null);

        var create = await client.PostAsJsonAsync("/v1/workspaces", new { name = "Rogue" }, TestGateway.Json);
        var list = await client.GetAsync("/v1/workspaces");

        create.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        list.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await create.Content.ReadAsStringAsync()).ShouldContain("it needs platform_admin");
        var log = await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/access-log");
        log.GetProperty("entries").GetArrayLength().ShouldBe(2);
        (await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/workspaces")).GetProperty("workspaces").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task CreateWorkspace_ExistingId_Is409AndChangesNothing()
    {
        await using var gateway = await new TestGateway().StartAsync();
        (await gateway.Admin.PostAsJsonAsync("/v1/workspaces", new { name = "Acme", id = "acme" }, TestGateway.Json)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var again = await gateway.Admin.PostAsJsonAsync("/v1/workspaces", new { name = "Acme again", id = "acme" }, TestGateway.Json);

        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await again.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("type").GetString().ShouldBe("urn:keel:problem:workspace-exists");
        var workspaces = (await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/workspaces")).GetProperty("workspaces").EnumerateArray().ToArray();
        workspaces.Single(w => w.GetProperty("id").GetString() == "acme").GetProperty("name").GetString().ShouldBe("Acme");
    }

    [Theory]
    [InlineData("{}", "$.name")]
    [InlineData("""{"name": "  "}""", "$.name")]
    [InlineData("""{"name": "Acme", "id": "Acme Corp"}""", "$.id")]
    [InlineData("""{"name": "Acme", "id": "-acme"}""", "$.id")]
    [InlineData("""{"name": "!!!"}""", "$.id")]
    public async Task CreateWorkspace_BadBody_Is400NamingTheField(string body, string field)
    {
        await using var gateway = await new TestGateway().StartAsync();

        var response = await gateway.Admin.PostAsync("/v1/workspaces", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(body);
    }

    [Fact]
    public async Task CreateWorkspaceKey_PlatformAdmin_MakesAKeyThatWorksInThatWorkspace()
    {
        await using var gateway = await new TestGateway().StartAsync();
        (await gateway.Admin.PostAsJsonAsync("/v1/workspaces", new { name = "Acme", id = "acme" }, TestGateway.Json)).EnsureSuccessStatusCode();

        var response = await gateway.Admin.PostAsJsonAsync("/v1/workspaces/acme/keys", new { name = "alice", role = "admin" }, TestGateway.Json);
        var missing = await gateway.Admin.PostAsJsonAsync("/v1/workspaces/nope/keys", new { name = "alice", role = "admin" }, TestGateway.Json);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var alice = gateway.Client((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());
        (await alice.GetFromJsonAsync<JsonElement>("/v1/keys")).GetProperty("keys").GetArrayLength().ShouldBe(2);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PlatformAdminKeys_AWorkspaceAdmin_CannotCreateOrRevokeThem()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var admin = await gateway.NewClientAsync("admin");
        var platformKeyId = (await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/keys")).GetProperty("keys").EnumerateArray()
            .Single(k => k.GetProperty("role").GetString() == "platform_admin").GetProperty("id").GetString();

        var create = await admin.PostAsJsonAsync("/v1/keys", new { name = "me-too", role = "platform_admin" }, TestGateway.Json);
        var revoke = await admin.DeleteAsync($"/v1/keys/{platformKeyId}");

        create.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        revoke.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await gateway.Admin.GetAsync("/v1/workspaces")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await gateway.Admin.PostAsJsonAsync("/v1/keys", new { name = "second", role = "platform_admin" }, TestGateway.Json)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }
}
