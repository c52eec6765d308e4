using Keel.Bundles;
using Keel.Sdk.Api;
using Keel.Server;
using Microsoft.Agents.AI;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Sdk.Tests;

/// <summary>A real <c>keel serve</c> (Kestrel on 127.0.0.1, a SQLite file in a temp folder) governing the refund-desk agent with
/// no upstream tool server, so an allowed call is the host's to run; an agent key for the SDK and the admin key for approvals.</summary>
public sealed class KeelServerFixture : IAsyncLifetime, IGovernedBackend
{
    private DirectoryInfo? _folder;
    private KeelServerApp? _server;

    public HttpClient Http { get; private set; } = null!;

    public Uri Endpoint { get; private set; } = null!;

    public string AgentKey { get; private set; } = string.Empty;

    /// <summary>The bootstrap platform admin: approves, reads events and the workspace budget.</summary>
    public KeelGatewayClient Admin { get; private set; } = null!;

    public string AdminKey { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("keel-sdk-");
        var options = new KeelServerOptions { Storage = k => k.UseSqlite(Path.Combine(_folder.FullName, "keel.db")) };
        options.Agents.Add(AgentBundleLoader.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "refund-desk")));
        _server = await KeelServer.BuildAsync(options, ["http://127.0.0.1:0"]);
        await _server.StartAsync();
        Endpoint = new Uri(_server.Addresses.Single());
        Http = new HttpClient { BaseAddress = Endpoint };
        AdminKey = _server.BootstrapAdminKey!;
        Admin = new KeelGatewayClient(Http, AdminKey);
        AgentKey = (await Admin.CreateKeyAsync(new CreateKeyRequest("sdk-tests", "agent", "refund-desk"))).Key;

        // A workspace budget with no limits, so GET /v1/workspace/budget reports the tokens the runs used.
        using var budget = new HttpRequestMessage(HttpMethod.Put, "v1/workspace/budget")
        {
            Content = new StringContent("""{"window_seconds": 86400, "max_steps": null, "max_tool_calls": null, "max_tokens": null, "max_cost_usd": null}""", System.Text.Encoding.UTF8, "application/json"),
        };
        budget.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        using var answer = await Http.SendAsync(budget);
        answer.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.App.StopAsync();
            await _server.App.DisposeAsync();
        }

        Http?.Dispose();
        try
        {
            _folder?.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public ChatClientBuilder UseKeel(ChatClientBuilder builder, Action<KeelOptions> configure) =>
        builder.UseKeel(o => { o.Endpoint = Endpoint; o.ApiKey = AgentKey; configure(o); });

    public AIAgentBuilder UseKeel(AIAgentBuilder builder, Action<KeelOptions> configure) =>
        builder.UseKeel(o => { o.Endpoint = Endpoint; o.ApiKey = AgentKey; configure(o); });

    public Task<IReadOnlyList<ApiEvent>> ListEventsAsync(string runId) => Admin.ListEventsAsync(runId, cancellationToken: TestContext.Current.CancellationToken);

    public Task<ApiApproval> ApproveAsync(string approvalId, string note) => Admin.ApproveAsync(approvalId, note, cancellationToken: TestContext.Current.CancellationToken);

    public Task<ApiApproval> GetApprovalAsync(string approvalId) => Admin.GetApprovalAsync(approvalId, TestContext.Current.CancellationToken);

    public Task<ApiRun> GetRunAsync(string runId) => Admin.GetRunAsync(runId, TestContext.Current.CancellationToken);

    public async Task<long> UsedTokensAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/workspace/budget");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return body.RootElement.GetProperty("used").GetProperty("tokens").GetInt64();
    }
}
