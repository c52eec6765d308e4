using Keel.Model;
using Keel.Storage.Conformance.Support;
using Keel.Tenancy;
using Shouldly;

namespace Keel.Storage.Conformance;

/// <summary>Workspaces, API keys, the access log and resource ownership (<see cref="IWorkspaceStore"/>, <see cref="IApiKeyStore"/>,
/// <see cref="IAccessLog"/>, <see cref="IResourceOwners"/>).</summary>
public abstract class TenancyConformanceTests : StoreConformanceTests
{
    [Fact]
    public async Task CreateWorkspaceAsync_FirstTime_ReturnsAWorkingAdminKeyThenNull()
    {
        var key = await Store.Gateway.CreateWorkspaceAsync(new Workspace("ws-a", "Team A"), Ct);

        key.ShouldNotBeNull().ShouldStartWith("keel_");
        (await Store.Gateway.AuthenticateAsync(key, Ct))!.Role.ShouldBe(KeelRole.Admin);
        (await Store.Gateway.CreateWorkspaceAsync(new Workspace("ws-a", "Team A"), Ct)).ShouldBeNull();
        (await Store.Gateway.WorkspaceExistsAsync("ws-a", Ct)).ShouldBeTrue();
        (await Store.Gateway.WorkspaceExistsAsync("ws-z", Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task CreateWorkspaceAsync_PlatformAdminFirstKey_StoresAndReadsTheRoleBack()
    {
        var key = await Store.Gateway.CreateWorkspaceAsync(new Workspace("default", "default"), KeelRole.PlatformAdmin, Ct);

        (await Store.Gateway.AuthenticateAsync(key, Ct))!.Role.ShouldBe(KeelRole.PlatformAdmin);
        (await Store.Gateway.ListKeysAsync("default", Ct)).ShouldHaveSingleItem().Role.ShouldBe(KeelRole.PlatformAdmin);
        await Should.ThrowAsync<ArgumentException>(() => Store.Gateway.CreateWorkspaceAsync(new Workspace("ws-x", "X"), KeelRole.Operator, Ct));
        (await Store.Gateway.WorkspaceExistsAsync("ws-x", Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task FindKeyAsync_AnyWorkspace_FindsTheKeyRevokedOrNot()
    {
        await Store.Gateway.CreateWorkspaceAsync(new Workspace("ws-a", "A"), Ct);
        await Store.Gateway.CreateWorkspaceAsync(new Workspace("ws-b", "B"), Ct);
        var (record, _) = await Store.Gateway.CreateKeyAsync("ws-b", "ana", KeelRole.Operator, null, Ct);
        await Store.Gateway.RevokeKeyAsync("ws-b", record.Id, Ct);

        var found = await Store.Gateway.FindKeyAsync(Store.Gateway, record.Id, Ct);

        found.ShouldBe(record with { RevokedAt = Time.GetUtcNow() });
        (await Store.Gateway.FindKeyAsync(Store.Gateway, "000000000000", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task CreateWorkspaceAsync_EightInstancesAtOnce_ExactlyOneAdminKey()
    {
        var instances = new List<StoreInstance> { Store };
        for (var i = 1; i < 4; i++)
        {
            instances.Add(await OpenInstanceAsync());
        }

        var keys = await RaceAsync(8, i => instances[i % 4].Gateway.CreateWorkspaceAsync(new Workspace("default", "default"), Ct));

        keys.Count(k => k is not null).ShouldBe(1);
        (await Store.Gateway.ListKeysAsync("default", Ct)).ShouldHaveSingleItem().Name.ShouldBe("admin");
    }

    [Fact]
    public async Task ListWorkspacesAsync_OldestFirst()
    {
        await Store.Gateway.CreateWorkspaceAsync(new Workspace("ws-b", "B"), Ct);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.Gateway.CreateWorkspaceAsync(new Workspace("ws-a", "A"), Ct);

        (await Store.Gateway.ListWorkspacesAsync(Ct)).ShouldBe([
            new WorkspaceRecord("ws-b", "B", Time.GetUtcNow().AddSeconds(-1)),
            new WorkspaceRecord("ws-a", "A", Time.GetUtcNow())]);
    }

    [Fact]
    public async Task CreateKeyAsync_AgentKey_AuthenticatesUntilRevoked()
    {
        await Store.Gateway.CreateWorkspaceAsync(new Workspace("ws-a", "A"), Ct);

        var (record, key) = await Store.Gateway.CreateKeyAsync("ws-a", "bot", KeelRole.Agent, "refund-desk", Ct);

        (await Store.Gateway.AuthenticateAsync(key, Ct)).ShouldBe(record);
        (await Store.Gateway.AuthenticateAsync(key[..^1] + (key[^1] == 'A' ? 'B' : 'A'), Ct)).ShouldBeNull();
        (await Store.Gateway.AuthenticateAsync("not a key", Ct)).ShouldBeNull();
        (await Store.Gateway.RevokeKeyAsync("ws-b", record.Id, Ct)).ShouldBeFalse();
        (await Store.Gateway.RevokeKeyAsync("ws-a", record.Id, Ct)).ShouldBeTrue();
        (await Store.Gateway.AuthenticateAsync(key, Ct)).ShouldBeNull();
        (await Store.Gateway.ListKeysAsync("ws-a", Ct)).Single(k => k.Id == record.Id).RevokedAt.ShouldBe(Time.GetUtcNow());
    }

    [Fact]
    public async Task CreateKeyAsync_UnknownWorkspaceOrWrongAgent_Throws()
    {
        await Store.Gateway.CreateWorkspaceAsync(new Workspace("ws-a", "A"), Ct);

        (await Should.ThrowAsync<StoreException>(() => Store.Gateway.CreateKeyAsync("ws-z", "bot", KeelRole.Operator, null, Ct))).Message.ShouldContain("'ws-z' does not exist");
        await Should.ThrowAsync<ArgumentException>(() => Store.Gateway.CreateKeyAsync("ws-a", "bot", KeelRole.Agent, null, Ct));
        await Should.ThrowAsync<ArgumentException>(() => Store.Gateway.CreateKeyAsync("ws-a", "ana", KeelRole.Operator, "refund-desk", Ct));
    }

    [Fact]
    public async Task ListKeysAsync_OnlyTheWorkspacesOldestFirst()
    {
        await Store.Gateway.CreateWorkspaceAsync(new Workspace("ws-a", "A"), Ct);
        await Store.Gateway.CreateWorkspaceAsync(new Workspace("ws-b", "B"), Ct);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.Gateway.CreateKeyAsync("ws-a", "ana", KeelRole.Operator, null, Ct);

        (await Store.Gateway.ListKeysAsync("ws-a", Ct)).Select(k => k.Name).ShouldBe(["admin", "ana"]);
        (await Store.Gateway.ListKeysAsync("ws-b", Ct)).Select(k => k.Name).ShouldBe(["admin"]);
    }

    [Fact]
    public async Task ListAccessLogAsync_NewestFirstPerWorkspaceAndLimited()
    {
        for (var i = 0; i < 3; i++)
        {
            await Store.Gateway.LogAccessAsync(new AccessLogEntry(Time.GetUtcNow().AddSeconds(i), "ws-a", "k1", "GET", $"/v1/runs/r{i}", 403, $"run 'r{i}' belongs to another workspace"), Ct);
        }

        await Store.Gateway.LogAccessAsync(new AccessLogEntry(Time.GetUtcNow(), "ws-b", "k2", "POST", "/v1/approvals/x/approve", 403, "no"), Ct);

        var entries = await Store.Gateway.ListAccessLogAsync("ws-a", 2, Ct);
        entries.Select(e => e.Path).ShouldBe(["/v1/runs/r2", "/v1/runs/r1"]);
        entries[0].ShouldBe(new AccessLogEntry(Time.GetUtcNow().AddSeconds(2), "ws-a", "k1", "GET", "/v1/runs/r2", 403, "run 'r2' belongs to another workspace"));
        (await Store.Gateway.ListAccessLogAsync("ws-b", cancellationToken: Ct)).ShouldHaveSingleItem().Method.ShouldBe("POST");
    }

    [Fact]
    public async Task OwnersOfAsync_EachResourceKind_NamesTheOwningWorkspaces()
    {
        await Store.Gateway.CreateWorkspaceAsync(new Workspace("ws-a", "A"), Ct);
        var (key, _) = await Store.Gateway.CreateKeyAsync("ws-a", "ana", KeelRole.Operator, null, Ct);
        await Store.Runs.SaveRunAsync(SampleRuns.Small("shared", "ws-a"), Ct);
        await Store.Runs.SaveRunAsync(SampleRuns.Small("shared", "ws-b"), Ct);
        await Store.Gateway.RequestAsync(SampleApprovals.Pending("apr_1", Time.GetUtcNow(), workspaceId: "ws-b"), Ct);

        (await Store.Gateway.OwnersOfAsync(ResourceKind.Run, "shared", Ct)).Order().ShouldBe(["ws-a", "ws-b"]);
        (await Store.Gateway.OwnersOfAsync(ResourceKind.Approval, "apr_1", Ct)).ShouldBe(["ws-b"]);
        (await Store.Gateway.OwnersOfAsync(ResourceKind.ApiKey, key.Id, Ct)).ShouldBe(["ws-a"]);
        (await Store.Gateway.OwnersOfAsync(ResourceKind.Run, "nope", Ct)).ShouldBeEmpty();
        (await Store.Gateway.OwnersOfAsync(ResourceKind.Approval, "shared", Ct)).ShouldBeEmpty();
    }
}
