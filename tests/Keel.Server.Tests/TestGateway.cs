using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Keel.Bundles;
using Keel.Model;
using Keel.Storage.Sqlite;
using Keel.Storage.Sqlite.Gateway;
using Keel.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace Keel.Server.Tests;

/// <summary>A gateway server on the ASP.NET Core test host over a real SQLite file in a temp folder, with the refund-desk agent
/// and a counting upstream. Restartable on the same file.</summary>
internal sealed class TestGateway : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "keel-server-tests", Guid.NewGuid().ToString("N"));
    private KeelServerApp? _server;

    public TestGateway(Action<KeelServerOptions>? configure = null)
    {
        Directory.CreateDirectory(_folder);
        Configure = configure;
    }

    public Action<KeelServerOptions>? Configure { get; }

    /// <summary>Changes to the host before it is built, e.g. a store decorator that fails on demand.</summary>
    public Action<WebApplicationBuilder>? Host { get; init; }

    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));

    public CountingExecutor Upstream { get; } = new();

    public string DatabasePath => Path.Combine(_folder, "keel.db");

    public string AdminKey { get; private set; } = string.Empty;

    public HttpClient Admin { get; private set; } = null!;

    /// <summary>The running server's services (its store ports), for tests that look behind the API.</summary>
    public IServiceProvider Services => _server!.App.Services;

    public static AgentVersion RefundDesk { get; } = AgentBundleLoader.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "refund-desk"));

    public async Task<TestGateway> StartAsync()
    {
        var options = new KeelServerOptions { Storage = k => k.UseSqlite(DatabasePath), Executor = Upstream, TimeProvider = Time };
        options.Agents.Add(RefundDesk);
        Configure?.Invoke(options);
        _server = await KeelServer.BuildAsync(options, configure: b =>
        {
            b.WebHost.UseTestServer();
            Host?.Invoke(b);
        });
        await _server.StartAsync();
        if (_server.BootstrapAdminKey is { } key)
        {
            AdminKey = key;
        }

        Admin = Client(AdminKey);
        return this;
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public HttpClient Client(string? key)
    {
        var client = _server!.App.GetTestClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public async Task<HttpClient> NewClientAsync(string role, string? agent = null, HttpClient? admin = null, string? name = null) =>
        (await NewKeyAsync(role, agent, admin, name)).Client;

    /// <summary>Creates a key and returns its id with a client that sends it.</summary>
    public async Task<(string Id, HttpClient Client)> NewKeyAsync(string role, string? agent = null, HttpClient? admin = null, string? name = null)
    {
        var response = await (admin ?? Admin).PostAsJsonAsync("/v1/keys", new { name = name ?? $"{role}-{Guid.NewGuid():N}", role, agent }, Json);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetString()!, Client(body.GetProperty("key").GetString()));
    }

    /// <summary>Creates another workspace directly in the database and returns its admin client.</summary>
    public async Task<HttpClient> NewWorkspaceAsync(string id)
    {
        await using var store = new SqliteGatewayStore(new SqliteRunStoreOptions { Path = DatabasePath }, Time);
        var key = await store.CreateWorkspaceAsync(new Workspace(id, id));
        return Client(key);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.App.StopAsync();
            await _server.App.DisposeAsync();
            _server = null;
        }
    }
}
