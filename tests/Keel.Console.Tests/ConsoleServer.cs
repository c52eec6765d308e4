using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Keel.Bundles;
using Keel.Gateway;
using Keel.Model;
using Keel.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace Keel.Console.Tests;

/// <summary>A real <c>keel serve</c> (Kestrel on a free 127.0.0.1 port) over a SQLite file in a temp folder, serving the refund-desk
/// agent with a counting upstream, and Chromium through Playwright. Shared by the console tests; each test uses its own browser
/// context (its own cookies).</summary>
public sealed class ConsoleServer : IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "keel-console-tests", Guid.NewGuid().ToString("N"));
    private KeelServerApp? _server;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = string.Empty;

    public string AdminKey { get; private set; } = string.Empty;

    public CountingExecutor Upstream { get; } = new();

    public IServiceProvider Services => _server!.App.Services;

    /// <summary>Why the browser tests are skipped, or null.</summary>
    public string? SkipReason { get; private set; }

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var options = new KeelServerOptions { Storage = k => k.UseSqlite(Path.Combine(_folder, "keel.db")), Executor = Upstream };
        options.Agents.Add(AgentBundleLoader.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "refund-desk")));
        _server = await KeelServer.BuildAsync(options, ["http://127.0.0.1:0"]);
        await _server.StartAsync();
        AdminKey = _server.BootstrapAdminKey!;
        BaseUrl = _server.Addresses[0];
        SkipReason = await Chromium.EnsureAsync();
        if (SkipReason is null)
        {
            _playwright = await Playwright.CreateAsync();
            Browser = await Chromium.LaunchAsync(_playwright);
        }
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Creates a key in <paramref name="workspace"/> (through the platform admin API) and returns the key text.</summary>
    public async Task<string> NewKeyAsync(string role, string? agent = null, string workspace = "default", string? name = null)
    {
        using var admin = Client(AdminKey);
        var response = await admin.PostAsJsonAsync($"/v1/workspaces/{workspace}/keys", new { name = name ?? $"{role}-{Guid.NewGuid():N}"[..20], role, agent }, Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    public async Task NewWorkspaceAsync(string id)
    {
        using var admin = Client(AdminKey);
        var response = await admin.PostAsJsonAsync("/v1/workspaces", new { id, name = id }, Json);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A new browser page, signed in with <paramref name="key"/>.</summary>
    public async Task<IPage> SignedInPageAsync(string key)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.GetByTestId("key").FillAsync(key);
        await page.GetByTestId("sign-in").ClickAsync();

        // Waits for the feed's own markup, not the browser's load event: a CI run once saw the signed-in feed's "load" lifecycle
        // event never reach Playwright (its network-idle event did), and the wait timed out on a page that had loaded.
        await page.WaitForURLAsync(BaseUrl + "/", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.GetByTestId("workspace")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Saves a screenshot of the page to docs/console/<paramref name="name"/>.png in the repository.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = RepoRoot() is { } root ? Path.Combine(root, "docs", "console") : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.App.StopAsync();
            await _server.App.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string? RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Keel.slnx")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}

/// <summary>The upstream tools: counts calls and answers success.</summary>
public sealed class CountingExecutor : IToolExecutor
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    public int Count(string tool) => _calls.GetValueOrDefault(tool);

    public ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken)
    {
        _calls.AddOrUpdate(context.Call.ToolName, 1, (_, n) => n + 1);
        return ValueTask.FromResult(new ToolResult(context.Call.Id, ToolResultStatus.Ok, $"{{\"ok\":true,\"tool\":\"{context.Call.ToolName}\"}}"));
    }
}
