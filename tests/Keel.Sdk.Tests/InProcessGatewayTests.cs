using System.Net;
using System.Text.Json;
using Keel.Sdk.Api;
using Keel.Sdk.InProcess;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Sdk.Tests;

/// <summary>What only the in-process gateway has: its settings, and runs that outlive the process in the store it was given.</summary>
public sealed class InProcessGatewayTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string Bundle => Path.Combine(AppContext.BaseDirectory, "TestData", "refund-desk");

    [Fact]
    public async Task StartAsync_NoStore_ThrowsNamingTheSetting()
    {
        var error = await Should.ThrowAsync<ArgumentException>(() => KeelInProcessGateway.StartAsync(new KeelInProcessOptions { AgentBundle = Bundle }, Token));

        error.Message.ShouldContain("KeelInProcessOptions.Store is required");
    }

    [Fact]
    public async Task ProposeToolCall_SameCallIdTwice_IsRefusedAsTheServerRefusesIt()
    {
        var folder = Directory.CreateTempSubdirectory("keel-sdk-inproc-");
        try
        {
            await using var gateway = await StartAsync(folder);
            await gateway.OpenRunAsync(new CreateRunRequest("twice"), Token);
            await gateway.ProposeToolCallAsync("twice", Call("c1", "get_order", """{"order_id": "A1"}"""), Token);

            var again = await Should.ThrowAsync<KeelApiException>(() => gateway.ProposeToolCallAsync("twice", Call("c1", "get_order", """{"order_id": "A1"}"""), Token));
            var exists = await Should.ThrowAsync<KeelApiException>(() => gateway.OpenRunAsync(new CreateRunRequest("twice"), Token));

            (again.StatusCode, again.Problem.Type).ShouldBe((HttpStatusCode.Conflict, "urn:keel:problem:call-id-used"));
            (exists.StatusCode, exists.Problem.Type).ShouldBe((HttpStatusCode.Conflict, "urn:keel:problem:run-exists"));
        }
        finally
        {
            Delete(folder);
        }
    }

    [Fact]
    public async Task OpenRunAndSendMessage_UnknownChannelOrBadRunId_AreRefusedNamingTheFieldAsTheServerRefusesThem()
    {
        var folder = Directory.CreateTempSubdirectory("keel-sdk-inproc-");
        try
        {
            await using var gateway = await StartAsync(folder);
            var badId = await Should.ThrowAsync<KeelApiException>(() => gateway.OpenRunAsync(new CreateRunRequest("a/b"), Token));
            var mcpRun = await gateway.OpenRunAsync(new CreateRunRequest("by-mcp", Channel: "mcp"), Token);
            var badMessageChannel = await Should.ThrowAsync<KeelApiException>(
                () => gateway.SendMessageAsync("by-mcp", new AppendMessageRequest("user", "hello", Channel: "mcp"), Token));

            (badId.StatusCode, badId.Problem.Detail).ShouldBe((HttpStatusCode.BadRequest, $"$.id: {Keel.Gateway.LiveRequestRules.RunIdRule}"));
            mcpRun.Channel.ShouldBe("mcp");
            (badMessageChannel.StatusCode, badMessageChannel.Problem.Detail)
                .ShouldBe((HttpStatusCode.BadRequest, $"$.channel: channel 'mcp' is not one of {Keel.Gateway.LiveRequestRules.MessageChannels}"));

            // A cost above the server's per-message cap: refused as keel serve refuses it, before it reaches the budget's 64-bit counters.
            var overCap = await Should.ThrowAsync<KeelApiException>(
                () => gateway.SendMessageAsync("by-mcp", new AppendMessageRequest("assistant", "Done.", new ApiUsage(10, 1e20m)), Token));
            (overCap.StatusCode, overCap.Problem.Detail).ShouldBe((HttpStatusCode.BadRequest, "$.usage.cost_usd: cost_usd is from 0 to 1,000,000 (USD)"));
            (await gateway.ListEventsAsync("by-mcp", cancellationToken: Token)).ShouldBeEmpty();
        }
        finally
        {
            Delete(folder);
        }
    }

    [Fact]
    public async Task ProposeToolCall_AfterRestartOnTheSameFile_ContinuesTheRunAndItsChain()
    {
        var folder = Directory.CreateTempSubdirectory("keel-sdk-inproc-");
        try
        {
            await using (var first = await StartAsync(folder))
            {
                await first.OpenRunAsync(new CreateRunRequest("restarted"), Token);
                await first.ProposeToolCallAsync("restarted", Call("g1", "get_order", """{"order_id": "A1"}"""), Token);
            }

            await using var second = await StartAsync(folder);
            var denied = await second.ProposeToolCallAsync("restarted", Call("d1", "delete_account", """{"user_id": "u1"}"""), Token);
            var reused = await Should.ThrowAsync<KeelApiException>(() => second.ProposeToolCallAsync("restarted", Call("g1", "get_order", """{"order_id": "A1"}"""), Token));

            (denied.Decision.Kind, denied.Decision.RuleId).ShouldBe(("deny", "account.never-delete"));
            reused.Problem.Type.ShouldBe("urn:keel:problem:call-id-used");
            var events = await second.ListEventsAsync("restarted", cancellationToken: Token);
            events.Select(e => e.Sequence).ShouldBe(Enumerable.Range(1, events.Count).Select(i => (long)i));
            events.Skip(1).Zip(events).ShouldAllBe(pair => pair.First.PrevHash == pair.Second.Hash);
        }
        finally
        {
            Delete(folder);
        }
    }

    private static Task<KeelInProcessGateway> StartAsync(DirectoryInfo folder) =>
        KeelInProcessGateway.StartAsync(new KeelInProcessOptions { AgentBundle = Bundle, Store = k => k.UseSqlite(Path.Combine(folder.FullName, "keel.db")) }, Token);

    private static ApiToolCall Call(string id, string tool, string arguments)
    {
        using var document = JsonDocument.Parse(arguments);
        return new ApiToolCall(id, tool, document.RootElement.Clone());
    }

    private static void Delete(DirectoryInfo folder)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            folder.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
