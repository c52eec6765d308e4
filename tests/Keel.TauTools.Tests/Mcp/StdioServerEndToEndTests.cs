using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Mcp;

/// <summary>Starts the real keel-tau-tools process and talks MCP to it over stdio with the MCP C# SDK's client.</summary>
public sealed class StdioServerEndToEndTests
{
    private static readonly string _serverDll = Path.Combine(AppContext.BaseDirectory, "keel-tau-tools.dll");

    private static async Task<McpClient> StartAsync(string domain, CancellationToken cancellationToken, params string[] options)
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "keel-tau-tools",
            Command = "dotnet",
            Arguments = [_serverDll, "--domain", domain, .. options],
            WorkingDirectory = AppContext.BaseDirectory,
        });
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" }, cancellationToken: cancellationToken);
    }

    private static async Task<CallToolResult> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments) =>
        await client.CallToolAsync(tool, arguments, cancellationToken: TestContext.Current.CancellationToken);

    private static string Text(CallToolResult result) => result.Content.OfType<TextContentBlock>().Single().Text;

    [Fact]
    public async Task Server_AirlineOverStdio_ListsToolsAndAppliesWriteToItsDatabase()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var client = await StartAsync("airline", cancellationToken);
        client.ServerInfo!.Name.ShouldBe("keel-tau-tools");

        var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
        tools.Select(t => t.Name).Order(StringComparer.Ordinal).ShouldBe([
            "book_reservation", "calculate", "cancel_reservation", "get_reservation_details", "get_user_details", "list_all_airports",
            "search_direct_flight", "search_onestop_flight", "send_certificate", "think", "transfer_to_human_agents",
            "update_reservation_baggages", "update_reservation_flights", "update_reservation_passengers"]);
        var baggages = tools.Single(t => t.Name == "update_reservation_baggages").ProtocolTool;
        baggages.Annotations!.DestructiveHint.ShouldBe(true);
        baggages.InputSchema.GetProperty("required").GetArrayLength().ShouldBe(4);
        tools.Single(t => t.Name == "get_reservation_details").ProtocolTool.Annotations!.ReadOnlyHint.ShouldBe(true);

        var before = await CallAsync(client, "get_reservation_details", new() { ["reservation_id"] = "YAX4DR" });
        before.IsError.ShouldNotBe(true);
        Text(before).ShouldContain("\"nonfree_baggages\": 0");

        var write = await CallAsync(client, "update_reservation_baggages", new()
        {
            ["reservation_id"] = "YAX4DR", ["total_baggages"] = 2, ["nonfree_baggages"] = 1, ["payment_id"] = "credit_card_4938634",
        });
        write.IsError.ShouldNotBe(true);

        var after = Text(await CallAsync(client, "get_reservation_details", new() { ["reservation_id"] = "YAX4DR" }));
        after.ShouldContain("\"nonfree_baggages\": 1");
        after.ShouldContain("{\"payment_id\": \"credit_card_4938634\", \"amount\": 50}");

        var failed = await CallAsync(client, "cancel_reservation", new() { ["reservation_id"] = "NOPE00" });
        failed.IsError.ShouldBe(true);
        Text(failed).ShouldBe("Error: reservation not found");
    }

    [Fact]
    public async Task Server_NewProcess_StartsFromTheShippedDatabase()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using (var first = await StartAsync("retail", cancellationToken))
        {
            Text(await CallAsync(first, "cancel_pending_order", new() { ["order_id"] = "#W4923227", ["reason"] = "no longer needed" })).ShouldContain("\"status\": \"cancelled\"");
        }

        await using var second = await StartAsync("retail", cancellationToken);
        (await second.ListToolsAsync(cancellationToken: cancellationToken)).Count.ShouldBe(16);
        Text(await CallAsync(second, "get_order_details", new() { ["order_id"] = "#W4923227" })).ShouldContain("\"status\": \"pending\"");
    }

    [Fact]
    public async Task Server_MissingDatabaseFolder_ExitsWithBadInputAndNamesTheFix()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var argument in new[] { _serverDll, "--domain", "retail", "--db", Path.Combine(Path.GetTempPath(), "no-such-keel-db") })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        process.ExitCode.ShouldBe(2);
        error.ShouldContain("no database folder at");
        error.ShouldContain("pass --db with a folder holding orders.json, products.json, users.json");
    }

    [Fact]
    public async Task Server_WithPreviews_ListsADryRunPerWriteAndItsCallChangesNothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var client = await StartAsync("airline", cancellationToken, "--previews");

        var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
        tools.Count.ShouldBe(20);
        tools.Where(t => t.Name.StartsWith("preview_", StringComparison.Ordinal)).Select(t => t.Name).Order(StringComparer.Ordinal).ShouldBe([
            "preview_book_reservation", "preview_cancel_reservation", "preview_send_certificate",
            "preview_update_reservation_baggages", "preview_update_reservation_flights", "preview_update_reservation_passengers"]);
        var preview = tools.Single(t => t.Name == "preview_cancel_reservation").ProtocolTool;
        var write = tools.Single(t => t.Name == "cancel_reservation").ProtocolTool;
        preview.InputSchema.GetRawText().ShouldBe(write.InputSchema.GetRawText());
        preview.Annotations!.ReadOnlyHint.ShouldBe(true);
        preview.Annotations.DestructiveHint.ShouldBe(false);
        preview.Description!.ShouldStartWith("Dry run of cancel_reservation");

        var read = Text(await CallAsync(client, "get_reservation_details", new() { ["reservation_id"] = "YAX4DR" }));
        var planned = await CallAsync(client, "preview_cancel_reservation", new() { ["reservation_id"] = "YAX4DR" });
        planned.IsError.ShouldNotBe(true);
        using (var plan = JsonDocument.Parse(Text(planned)))
        {
            plan.RootElement.GetProperty("after").GetProperty("reservations").GetProperty("YAX4DR").GetProperty("status").GetString().ShouldBe("cancelled");
        }

        Text(await CallAsync(client, "get_reservation_details", new() { ["reservation_id"] = "YAX4DR" })).ShouldBe(read);
        var failed = await CallAsync(client, "preview_cancel_reservation", new() { ["reservation_id"] = "NOPE00" });
        failed.IsError.ShouldBe(true);
        Text(failed).ShouldBe("Error: reservation not found");
    }
}
