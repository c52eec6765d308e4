using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Keel.Bundles;
using Keel.Gateway;
using Keel.Sdk.Api;
using Keel.Model;
using Keel.Server;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary>Keel's MCP endpoints — Streamable HTTP at <c>/mcp</c> of <c>keel serve</c>, and <c>keel mcp</c> over stdio — driven by a client
/// Keel did not write: the official TypeScript SDK (<c>@modelcontextprotocol/sdk</c>, pinned in Interop/mcp-ts, installed with
/// <c>npm ci</c>, run with the machine's node).</summary>
public sealed class McpTypeScriptInteropTests : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("keel-mcp-ts-");
    private KeelServerApp _server = null!;
    private HttpClient _http = null!;
    private string _agentKey = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var options = new KeelServerOptions { Storage = k => k.UseSqlite(Path.Combine(_dir.FullName, "keel.db")), Executor = new EchoExecutor() };
        options.Agents.Add(AgentBundleLoader.Load(RepoPaths.AirlineBundle));
        _server = await KeelServer.BuildAsync(options, ["http://127.0.0.1:0"], cancellationToken: Token);
        await _server.StartAsync(Token);
        _http = new HttpClient { BaseAddress = new Uri(_server.Addresses.Single()) };
        var admin = new KeelGatewayClient(_http, _server.BootstrapAdminKey!);
        _agentKey = (await admin.CreateKeyAsync(new CreateKeyRequest("ts-interop", "agent", "tau-airline"), cancellationToken: Token)).Key;
        await NpmCiAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.App.StopAsync();
        await _server.App.DisposeAsync();
        _http.Dispose();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task TypeScriptClient_OverStreamableHttp_ListsAnnotatedToolsCallsAndLearnsTheApprovalStatus() =>
        AssertSession(await RunClientAsync("http", new Uri(_http.BaseAddress!, "/mcp").ToString()));

    [Fact]
    public async Task TypeScriptClient_OverKeelMcpStdio_ListsAnnotatedToolsCallsAndLearnsTheApprovalStatus() =>
        AssertSession(await RunClientAsync("stdio", "dotnet", Path.Combine(AppContext.BaseDirectory, "keel.dll"), "mcp", "--server", _http.BaseAddress!.ToString()));

    private static void AssertSession(JsonElement seen)
    {
        seen.GetProperty("server").GetProperty("name").GetString().ShouldBe("keel");
        var tools = seen.GetProperty("tools").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("annotations"));
        tools.Keys.ShouldContain("keel_approval_status");
        tools["get_reservation_details"].GetProperty("readOnlyHint").GetBoolean().ShouldBeTrue();
        tools["cancel_reservation"].GetProperty("destructiveHint").GetBoolean().ShouldBeTrue();

        var read = seen.GetProperty("read");
        (read.TryGetProperty("isError", out var readError) && readError.ValueKind == JsonValueKind.True).ShouldBeFalse();
        read.GetProperty("content")[0].GetProperty("text").GetString().ShouldBe("ran get_user_details");

        var held = seen.GetProperty("held");
        held.GetProperty("isError").GetBoolean().ShouldBeTrue();
        held.GetProperty("content")[0].GetProperty("text").GetString().ShouldStartWith("Keel is holding this call for approval apr_");
        seen.GetProperty("approvalId").GetString().ShouldStartWith("apr_");
        seen.GetProperty("status").GetProperty("content")[0].GetProperty("text").GetString()!.ShouldContain("is still pending");
    }

    private async Task NpmCiAsync()
    {
        var fixture = Path.Combine(RepoPaths.Root, "tests", "Keel.Cli.Tests", "Interop", "mcp-ts");
        foreach (var file in new[] { "package.json", "package-lock.json", "interop.mjs" })
        {
            File.Copy(Path.Combine(fixture, file), Path.Combine(_dir.FullName, file));
        }

        var (exit, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], null);
        exit.ShouldBe(0, $"npm ci of the TypeScript MCP SDK failed (node and npm are needed, with the npm registry reachable): {output}");
    }

    private async Task<JsonElement> RunClientAsync(params string[] args)
    {
        var (exit, output) = await RunAsync("node", ["interop.mjs", .. args], _agentKey);
        exit.ShouldBe(0, output);
        var line = output.Split('\n').Last(l => l.StartsWith('{'));
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    private async Task<(int Exit, string Output)> RunAsync(string fileName, string[] args, string? key)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir.FullName };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (key is not null)
        {
            start.Environment["KEEL_API_KEY"] = key;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Token);
        var error = process.StandardError.ReadToEndAsync(Token);
        await process.WaitForExitAsync(Token);
        return (process.ExitCode, await output + "\n" + await error);
    }

    /// <summary>Answers every allowed call with <c>ran &lt;tool&gt;</c>.</summary>
    private sealed class EchoExecutor : IToolExecutor
    {
        public ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new ToolResult(context.Call.Id, ToolResultStatus.Ok, $"ran {context.Call.ToolName}"));
    }
}
