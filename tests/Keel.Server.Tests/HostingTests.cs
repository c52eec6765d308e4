using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Keel.Server.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task Server_OnARealLoopbackSocket_AnswersHealthReadyAndTheApi()
    {
        var folder = Directory.CreateTempSubdirectory("keel-serve-");
        var options = new KeelServerOptions { Storage = k => k.UseSqlite(Path.Combine(folder.FullName, "keel.db")) };
        options.Agents.Add(TestGateway.RefundDesk);
        var server = await KeelServer.BuildAsync(options, ["http://127.0.0.1:0"]);
        await server.StartAsync();
        try
        {
            var address = server.Addresses.Single();
            address.ShouldStartWith("http://127.0.0.1:");
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            (await http.GetFromJsonAsync<JsonElement>("/health")).GetProperty("status").GetString().ShouldBe("healthy");
            (await http.GetFromJsonAsync<JsonElement>("/ready")).GetProperty("status").GetString().ShouldBe("ready");
            var openApi = await http.GetStringAsync("/openapi/v1.json");
            openApi.ShouldContain("/v1/runs/{runId}/tool-calls");
            openApi.ShouldContain("/v1/approvals/{approvalId}/approve");
            var reference = await http.GetAsync("/scalar/v1");
            reference.StatusCode.ShouldBe(HttpStatusCode.OK);
            reference.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
            (await reference.Content.ReadAsStringAsync()).ShouldContain("\"url\":\"openapi/v1.json\"");
            (await http.GetAsync("/scalar/scalar.js")).StatusCode.ShouldBe(HttpStatusCode.OK); // served from the package, not a CDN
            http.DefaultRequestHeaders.Authorization = new("Bearer", server.BootstrapAdminKey);
            (await http.GetAsync("/v1/runs")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            await server.App.StopAsync();
            await server.App.DisposeAsync();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Server_SecondStartOnTheSameDatabase_DoesNotMintANewAdminKey()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var first = gateway.AdminKey;
        await gateway.RestartAsync();
        gateway.AdminKey.ShouldBe(first);
        (await gateway.Admin.GetAsync("/v1/keys")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ready_WhenTheUpstreamIsDown_Is503()
    {
        await using var gateway = await new TestGateway(o => o.UpstreamReady = _ => Task.FromResult(false)).StartAsync();
        var response = await gateway.Client(null).GetAsync("/ready");
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
    }
}
