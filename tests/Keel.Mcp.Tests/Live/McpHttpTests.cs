using System.Net;
using System.Text.Json;
using Keel.Gateway;
using Keel.Sdk.Api;
using Keel.Model;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Shouldly;
using Xunit;

namespace Keel.Mcp.Tests.Live;

/// <summary>MCP over Streamable HTTP at <c>/mcp</c> of a real <c>keel serve</c> (Kestrel on 127.0.0.1), driven by the MCP C# SDK's HTTP client.</summary>
public sealed class McpHttpTests : IAsyncLifetime
{
    private LiveKeelServer _server = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await LiveKeelServer.StartAsync(new EchoExecutor(), Token);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task ListTools_OverHttp_CarriesAnnotationsFromTheCatalogAndTheApprovalStatusTool()
    {
        await using var client = await ConnectAsync(_server.AgentKey);

        var tools = await client.ListToolsAsync(cancellationToken: Token);

        var byName = tools.ToDictionary(t => t.Name, t => t.ProtocolTool);
        byName["get_reservation_details"].Annotations!.ReadOnlyHint.ShouldBe(true);
        byName["cancel_reservation"].Annotations!.ReadOnlyHint.ShouldBe(false);
        byName["cancel_reservation"].Annotations!.DestructiveHint.ShouldBe(true);
        byName["calculate"].Annotations!.DestructiveHint.ShouldBe(false);
        byName["keel_approval_status"].Annotations!.ReadOnlyHint.ShouldBe(true);
        byName.Count.ShouldBe(LiveKeelServer.Airline.Tools.Count + 1);
    }

    [Fact]
    public async Task CallTool_OverHttp_AllowedCallRunsInTheSessionsRunAndTheRunClosesWithTheSession()
    {
        string runId;
        await using (var client = await ConnectAsync(_server.AgentKey))
        {
            var result = await client.CallToolAsync("get_user_details", new Dictionary<string, object?> { ["user_id"] = "mia_li_3668" }, cancellationToken: Token);
            result.IsError.ShouldNotBe(true);
            ((TextContentBlock)result.Content[0]).Text.ShouldStartWith("ran get_user_details");
            var runs = await _server.Client.ListRunsAsync(cancellationToken: Token);
            runId = runs.Single().Id;
        }

        var closed = await WaitForAsync(async () => (await _server.Client.GetRunAsync(runId, Token)).Status, "completed");
        closed.ShouldBe("completed");
    }

    [Fact]
    public async Task CallTool_HeldThenApproved_ApprovalStatusSaysGrantedAndTheSameCallThenRuns()
    {
        await using var client = await ConnectAsync(_server.AgentKey);
        var arguments = new Dictionary<string, object?> { ["reservation_id"] = "4WQ150" };

        var held = await client.CallToolAsync("cancel_reservation", arguments, cancellationToken: Token);
        held.IsError.ShouldBe(true);
        var text = ((TextContentBlock)held.Content[0]).Text;
        text.ShouldContain("keel_approval_status");
        var approvalId = text.Split(' ').First(w => w.StartsWith("apr_", StringComparison.Ordinal));

        var pending = await client.CallToolAsync("keel_approval_status", new Dictionary<string, object?> { ["approval_id"] = approvalId }, cancellationToken: Token);
        ((TextContentBlock)pending.Content[0]).Text.ShouldContain("still pending");

        await _server.Operator.ApproveAsync(approvalId, "customer confirmed on the phone", cancellationToken: Token);
        var granted = await client.CallToolAsync("keel_approval_status", new Dictionary<string, object?> { ["approval_id"] = approvalId }, cancellationToken: Token);
        ((TextContentBlock)granted.Content[0]).Text.ShouldContain("was granted");

        var ran = await client.CallToolAsync("cancel_reservation", arguments, cancellationToken: Token);
        ran.IsError.ShouldNotBe(true, ((TextContentBlock)ran.Content[0]).Text);
        (await _server.Client.ListRunsAsync(cancellationToken: Token)).Count.ShouldBe(1); // one MCP session, one run
        ((TextContentBlock)ran.Content[0]).Text.ShouldStartWith("ran cancel_reservation");
    }

    [Fact]
    public async Task Connect_WithoutAKeyOrWithAnOperatorKey_IsRefused()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        using var body = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""", System.Text.Encoding.UTF8, "application/json");
        var anonymous = await http.PostAsync("/mcp", body, Token);
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        await Should.ThrowAsync<Exception>(async () => await ConnectAsync(_server.OperatorKey));
    }

    private async Task<McpClient> ConnectAsync(string key)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(_server.BaseAddress, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {key}" },
        });
        return await McpClient.CreateAsync(transport, cancellationToken: Token);
    }

    private static async Task<string> WaitForAsync(Func<Task<string>> read, string expected)
    {
        var value = await read();
        for (var i = 0; i < 100 && value != expected; i++)
        {
            await Task.Delay(50, Token);
            value = await read();
        }

        return value;
    }

    /// <summary>Answers every allowed call with <c>ran &lt;tool&gt;</c>.</summary>
    private sealed class EchoExecutor : IToolExecutor
    {
        public ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new ToolResult(context.Call.Id, ToolResultStatus.Ok, JsonSerializer.Serialize($"ran {context.Call.ToolName}")[1..^1]));
    }
}
