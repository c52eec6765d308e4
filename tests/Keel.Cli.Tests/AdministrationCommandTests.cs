using System.Net;
using System.Text.Json;
using Keel.Bundles;
using Keel.Cli.Commands;
using Keel.Server;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary><c>keel workspace create|list</c> and <c>keel key create|list|revoke</c> on a real SQLite file: what they print, their exit
/// codes, and that their keys are the keys a running server accepts.</summary>
[Collection(CliSerial.Name)]
public sealed class AdministrationCommandTests : IDisposable
{
    private readonly AdminCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task WorkspaceCreate_NewName_PrintsItsAdminKeyOnceAndListsIt()
    {
        var (exit, text) = await _cli.RunAsync("workspace", "create", "Acme Support (EU)");

        exit.ShouldBe(ExitCodes.Ok, text);
        text.ShouldContain("Created workspace 'acme-support-eu' (Acme Support (EU))");
        text.ShouldContain("shown this once");
        AdminCli.KeyIn(text).ShouldStartWith("keel_");
        var (_, list) = await _cli.RunAsync("workspace", "list");
        list.Split('\n')[0].ShouldBe("id\tname\tcreated");
        list.ShouldContain("acme-support-eu\tAcme Support (EU)\t");
        var (_, json) = await _cli.RunAsync("workspace", "list", "--json");
        JsonDocument.Parse(json).RootElement.EnumerateArray().ShouldHaveSingleItem().GetProperty("id").GetString().ShouldBe("acme-support-eu");
    }

    [Fact]
    public async Task WorkspaceCreate_ExistingId_ExitsConflictAndMintsNoKey()
    {
        await _cli.RunAsync("workspace", "create", "Acme", "--id", "acme");

        var (exit, text) = await _cli.RunAsync("workspace", "create", "Other", "--id", "acme");

        exit.ShouldBe(ExitCodes.Conflict, text);
        text.ShouldContain("a workspace with the id 'acme' already exists; nothing was changed");
        text.ShouldNotContain("keel_");
        var (_, keys) = await _cli.RunAsync("key", "list", "--workspace", "acme", "--json");
        JsonDocument.Parse(keys).RootElement.GetArrayLength().ShouldBe(1);
    }

    [Theory]
    [InlineData("Acme", "--id", "Acme Corp")]
    [InlineData("!!!")]
    public async Task WorkspaceCreate_BadId_ExitsBadInputAndCreatesNoDatabase(params string[] args)
    {
        var (exit, text) = await _cli.RunAsync(["workspace", "create", .. args]);

        exit.ShouldBe(ExitCodes.BadInput, text);
        text.ShouldContain("lower-case letters, digits");
        File.Exists(_cli.DbPath).ShouldBeFalse();
    }

    [Theory]
    [InlineData("workspace", "list")]
    [InlineData("key", "list")]
    [InlineData("key", "revoke", "3f9a0c1d2e4b")]
    [InlineData("key", "create", "-w", "default", "--role", "admin")]
    public async Task Command_NoDatabaseFile_ExitsBadInputWithoutCreatingOne(params string[] args)
    {
        var (exit, text) = await _cli.RunAsync(args);

        exit.ShouldBe(ExitCodes.BadInput, text);
        text.ShouldContain("no Keel database at");
        File.Exists(_cli.DbPath).ShouldBeFalse();
    }

    [Fact]
    public async Task KeyCreate_UnknownWorkspace_ExitsNotFound()
    {
        await _cli.RunAsync("workspace", "create", "Acme", "--id", "acme");

        var (exit, text) = await _cli.RunAsync("key", "create", "--workspace", "acme-typo", "--role", "operator");

        exit.ShouldBe(ExitCodes.NotFound, text);
        text.ShouldContain("no workspace 'acme-typo'");
    }

    [Theory]
    [InlineData("--role", "boss")]
    [InlineData("--role", "agent")]
    [InlineData("--role", "operator", "--agent", "tau-airline")]
    public async Task KeyCreate_RoleAndAgentDoNotFit_ExitsBadInput(params string[] args)
    {
        await _cli.RunAsync("workspace", "create", "Acme", "--id", "acme");

        var (exit, text) = await _cli.RunAsync(["key", "create", "-w", "acme", .. args]);

        exit.ShouldBe(ExitCodes.BadInput, text);
        text.ShouldNotContain("keel_");
    }

    [Fact]
    public async Task KeyList_EveryWorkspace_ShowsRolesButNeverASecret()
    {
        var (_, created) = await _cli.RunAsync("workspace", "create", "Acme", "--id", "acme");
        var (_, agent) = await _cli.RunAsync("key", "create", "-w", "acme", "--role", "agent", "--agent", "tau-airline", "--name", "airline-bot");
        var secrets = new[] { AdminCli.KeyIn(created), AdminCli.KeyIn(agent) }.Select(k => k.Split('_', 3)[2]).ToArray(); // keel_<id>_<secret>; the secret is base64url and may itself hold '_'

        var (exit, text) = await _cli.RunAsync("key", "list");
        var (_, json) = await _cli.RunAsync("key", "list", "--workspace", "acme", "--json");

        exit.ShouldBe(ExitCodes.Ok, text);
        text.Split('\n')[0].ShouldBe("id\tworkspace\trole\tname\tagent\tcreated\trevoked");
        text.ShouldContain("\tacme\tagent\tairline-bot\ttau-airline\t");
        var keys = JsonDocument.Parse(json).RootElement.EnumerateArray().ToArray();
        keys.Select(k => k.GetProperty("role").GetString()).ShouldBe(["admin", "agent"]);
        keys.ShouldAllBe(k => k.GetProperty("workspace_id").GetString() == "acme" && k.GetProperty("revoked_at").ValueKind == JsonValueKind.Null);
        foreach (var secret in secrets)
        {
            text.ShouldNotContain(secret);
            json.ShouldNotContain(secret);
        }
    }

    [Fact]
    public async Task KeyRevoke_UnknownThenTwice_ExitsNotFoundThenOkThenConflict()
    {
        var (_, created) = await _cli.RunAsync("workspace", "create", "Acme", "--id", "acme");
        var key = AdminCli.KeyIn(created);

        var unknown = await _cli.RunAsync("key", "revoke", "000000000000");
        var first = await _cli.RunAsync("key", "revoke", key);
        var second = await _cli.RunAsync("key", "revoke", key[5..17]);

        unknown.Exit.ShouldBe(ExitCodes.NotFound, unknown.Text);
        first.Exit.ShouldBe(ExitCodes.Ok, first.Text);
        first.Text.ShouldContain($"Revoked key {key[5..17]} (admin, admin) of workspace 'acme'");
        first.Text.ShouldNotContain(key);
        second.Exit.ShouldBe(ExitCodes.Conflict, second.Text);
        second.Text.ShouldContain("was already revoked at");
    }

    [Fact]
    public async Task KeyCreate_AgainstARunningServer_AuthenticatesUntilRevoked()
    {
        await _cli.RunAsync("workspace", "create", "Acme", "--id", "acme");
        var options = new KeelServerOptions { Storage = k => k.UseSqlite(_cli.DbPath) };
        options.Agents.Add(AgentBundleLoader.Load(RepoPaths.AirlineBundle));
        var server = await KeelServer.BuildAsync(options, ["http://127.0.0.1:0"], cancellationToken: TestContext.Current.CancellationToken);
        await using var app = server.App;
        await server.StartAsync(TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri(server.Addresses.Single()) };

        var (exit, text) = await _cli.RunAsync("key", "create", "-w", "acme", "--role", "operator", "--name", "ana");
        var key = AdminCli.KeyIn(text);
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        var before = await http.GetAsync("/v1/approvals", TestContext.Current.CancellationToken);
        var revoked = await _cli.RunAsync("key", "revoke", key[5..17]);
        var after = await http.GetAsync("/v1/approvals", TestContext.Current.CancellationToken);

        exit.ShouldBe(ExitCodes.Ok, text);
        before.StatusCode.ShouldBe(HttpStatusCode.OK);
        revoked.Exit.ShouldBe(ExitCodes.Ok, revoked.Text);
        after.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task KeyCreate_PlatformAdminInTheBootstrapWorkspace_ReplacesALostBootstrapKey()
    {
        var options = new KeelServerOptions { Storage = k => k.UseSqlite(_cli.DbPath) };
        options.Agents.Add(AgentBundleLoader.Load(RepoPaths.AirlineBundle));
        var server = await KeelServer.BuildAsync(options, ["http://127.0.0.1:0"], cancellationToken: TestContext.Current.CancellationToken);
        await using var app = server.App;
        await server.StartAsync(TestContext.Current.CancellationToken);
        server.BootstrapAdminKey.ShouldNotBeNull();
        using var http = new HttpClient { BaseAddress = new Uri(server.Addresses.Single()) };

        var (exit, text) = await _cli.RunAsync("key", "create", "-w", "default", "--role", "platform_admin", "--name", "ops");
        http.DefaultRequestHeaders.Authorization = new("Bearer", AdminCli.KeyIn(text));
        var workspaces = await http.GetAsync("/v1/workspaces", TestContext.Current.CancellationToken);

        exit.ShouldBe(ExitCodes.Ok, text);
        workspaces.StatusCode.ShouldBe(HttpStatusCode.OK);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }
}
