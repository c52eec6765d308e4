using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Keel.Bundles;
using Keel.Model;
using Keel.Server;
using Keel.Storage.Postgres.Gateway;
using Keel.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace Keel.Storage.Postgres.Tests;

/// <summary>Two <c>keel serve</c> instances on one PostgreSQL database, on real loopback sockets, driven through the HTTP API only by 64
/// concurrent callers split across both: the promises of the gateway hold across instances.</summary>
public sealed class TwoServerTests(PostgresCluster cluster) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly AgentVersion RefundDesk = AgentBundleLoader.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "refund-desk"));

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));
    private readonly CountingUpstream _upstream = new();
    private readonly List<HttpClient> _clients = [];
    private KeelServerApp[] _servers = [];
    private string _connectionString = string.Empty;

    public async ValueTask InitializeAsync()
    {
        _connectionString = await cluster.CreateDatabaseAsync();

        // Both start at once on an empty database: they migrate it together and exactly one creates the bootstrap workspace.
        _servers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => StartAsync()));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var server in _servers)
        {
            await server.App.StopAsync();
            await server.App.DisposeAsync();
        }

        await cluster.DropDatabaseAsync(_connectionString);
    }

    [Fact]
    public async Task TwoInstances_64ConcurrentCallers_EveryPromiseHoldsAcrossInstances()
    {
        _servers.Count(s => s.BootstrapAdminKey is not null).ShouldBe(1);
        var adminKey = _servers.Single(s => s.BootstrapAdminKey is not null).BootstrapAdminKey!;
        var admin = new[] { Client(0, adminKey), Client(1, adminKey) };
        var agentKey = await CreateKeyAsync(admin[0], "agent", "refund-desk");
        var agent = new[] { Client(0, agentKey), Client(1, agentKey) };
        var supervisor = Client(1, await CreateKeyAsync(admin[1], "operator", null));

        await BudgetNeverOverspentAsync(admin, agent);
        await EachIdempotencyKeyExecutesOnceAsync(agent);
        await EachApprovalExecutesOnceAsync(agent, supervisor);
        await RunIdOpenedInTwoWorkspacesBelongsToOneAsync(agent);

        await using var store = await PostgresRunStore.OpenAsync(new PostgresStoreOptions { ConnectionString = _connectionString }, _time, TestContext.Current.CancellationToken);
        var report = await store.VerifyAsync(cancellationToken: TestContext.Current.CancellationToken);
        report.Problems.ShouldBeEmpty();
        report.EventsChecked.ShouldBeGreaterThan(64 * 4);
    }

    /// <summary>64 callers, each with a run of its own on one of the two instances, one tool call each, under a budget of 20 tool calls.</summary>
    private async Task BudgetNeverOverspentAsync(HttpClient[] admin, HttpClient[] agent)
    {
        (await admin[0].PutAsJsonAsync("/v1/workspace/budget", new { window_seconds = 3600, max_tool_calls = 20 }, Json)).EnsureSuccessStatusCode();
        var runs = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => OpenRunAsync(agent[i % 2], $"budget-{i}")));

        var kinds = await Race(64, async i =>
        {
            var outcome = await ProposeAsync(agent[i % 2], runs[i], "c1", "get_order", new { order_id = $"B{i}" });
            return (await outcome.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("decision").GetProperty("kind").GetString();
        });

        kinds.Count(k => k == "allow").ShouldBe(20);
        _upstream.Total("get_order").ShouldBe(20);
        var budget = await admin[1].GetFromJsonAsync<JsonElement>("/v1/workspace/budget");
        budget.GetProperty("used").GetProperty("tool_calls").GetInt32().ShouldBe(20);
        (await admin[1].PutAsJsonAsync("/v1/workspace/budget", new { window_seconds = 3600, max_tool_calls = 100_000 }, Json)).EnsureSuccessStatusCode();
    }

    /// <summary>8 idempotency keys, each sent by 8 callers at once with the same request, half to each instance.</summary>
    private async Task EachIdempotencyKeyExecutesOnceAsync(HttpClient[] agent)
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(k => OpenRunAsync(agent[0], $"idem-{k}")));

        var bodies = await Race(64, async i =>
        {
            var k = i % 8;
            for (var attempt = 0; ; attempt++)
            {
                var response = await ProposeAsync(agent[i % 2], runs[k], $"c-{k}", "get_order", new { order_id = $"I{k}" }, $"idem-key-{k}");
                if (response.StatusCode != HttpStatusCode.Conflict || attempt == 50)
                {
                    // 409: the same key is still being handled on the other instance; a client retries it.
                    return (Key: k, response.StatusCode, Body: await response.Content.ReadAsStringAsync());
                }

                await Task.Delay(20);
            }
        });

        foreach (var key in bodies.GroupBy(b => b.Key))
        {
            _upstream.Count("get_order", $"I{key.Key}").ShouldBe(1, $"key {key.Key}");
            key.ShouldAllBe(b => b.StatusCode == HttpStatusCode.OK);
            key.Select(b => b.Body).Distinct().ShouldHaveSingleItem();
        }
    }

    /// <summary>8 runs each hold a refund that needs approval; once approved, 8 callers per run propose it at once, half on each instance.</summary>
    private async Task EachApprovalExecutesOnceAsync(HttpClient[] agent, HttpClient supervisor)
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(k => OpenRunAsync(agent[0], $"approval-{k}")));
        foreach (var (run, k) in runs.Select((r, k) => (r, k)))
        {
            var held = await (await ProposeAsync(agent[0], run, "c-held", "refund_order", new { order_id = $"A{k}", amount = 600 })).Content.ReadFromJsonAsync<JsonElement>();
            held.GetProperty("decision").GetProperty("kind").GetString().ShouldBe("require_approval");
            var approvalId = held.GetProperty("approval").GetProperty("id").GetString();
            (await supervisor.PostAsJsonAsync($"/v1/approvals/{approvalId}/approve", new { note = "checked" }, Json)).EnsureSuccessStatusCode();
        }

        await Race(64, async i =>
        {
            var k = i % 8;
            var response = await ProposeAsync(agent[i % 2], runs[k], $"c-approved-{i}", "refund_order", new { order_id = $"A{k}", amount = 600 });
            return response.StatusCode;
        });

        for (var k = 0; k < 8; k++)
        {
            _upstream.Count("refund_order", $"A{k}").ShouldBe(1, $"run {runs[k]}");
        }
    }

    /// <summary>8 run ids, each opened at once by an agent of the default workspace on one instance and one of another workspace on the other.</summary>
    private async Task RunIdOpenedInTwoWorkspacesBelongsToOneAsync(HttpClient[] agent)
    {
        string otherAdminKey;
        await using (var gateway = new PostgresGatewayStore(new PostgresStoreOptions { ConnectionString = _connectionString }, _time))
        {
            otherAdminKey = (await gateway.CreateWorkspaceAsync(new Workspace("team-b", "team-b")))!;
        }

        var otherAgent = Client(1, await CreateKeyAsync(Client(1, otherAdminKey), "agent", "refund-desk"));
        var statuses = await Race(16, async i =>
        {
            var response = await (i % 2 == 0 ? agent[0] : otherAgent).PostAsJsonAsync("/v1/runs", new { id = $"contested-{i / 2}" }, Json);
            return (Id: $"contested-{i / 2}", response.StatusCode);
        });

        await using var owners = new PostgresGatewayStore(new PostgresStoreOptions { ConnectionString = _connectionString }, _time);
        foreach (var id in statuses.GroupBy(s => s.Id))
        {
            id.Count(s => s.StatusCode == HttpStatusCode.Created).ShouldBe(1, id.Key);
            (await owners.OwnersOfAsync(ResourceKind.Run, id.Key)).ShouldHaveSingleItem(id.Key);
        }
    }

    private async Task<KeelServerApp> StartAsync()
    {
        var options = new KeelServerOptions { Storage = k => k.UsePostgres(_connectionString), Executor = _upstream, TimeProvider = _time };
        options.Agents.Add(RefundDesk);
        var server = await KeelServer.BuildAsync(options, ["http://127.0.0.1:0"]);
        await server.StartAsync();
        return server;
    }

    private HttpClient Client(int server, string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(_servers[server].Addresses.Single()) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        _clients.Add(client);
        return client;
    }

    private static async Task<string> CreateKeyAsync(HttpClient admin, string role, string? agent)
    {
        var response = await admin.PostAsJsonAsync("/v1/keys", new { name = $"{role}-{Guid.NewGuid():N}", role, agent }, Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    private static async Task<string> OpenRunAsync(HttpClient agent, string id)
    {
        var response = await agent.PostAsJsonAsync("/v1/runs", new { id }, Json);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return id;
    }

    private static Task<HttpResponseMessage> ProposeAsync(HttpClient agent, string runId, string callId, string tool, object arguments, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/runs/{runId}/tool-calls") { Content = JsonContent.Create(new { id = callId, name = tool, arguments }, options: Json) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return agent.SendAsync(request);
    }

    /// <summary>Runs the calls at once: all released together by one gate.</summary>
    private static async Task<T[]> Race<T>(int count, Func<int, Task<T>> call)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            return await call(i);
        })).ToArray();
        await Task.Delay(50);
        gate.SetResult();
        return await Task.WhenAll(tasks);
    }
}
