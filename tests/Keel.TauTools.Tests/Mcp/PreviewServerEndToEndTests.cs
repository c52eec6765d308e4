using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Mcp;

/// <summary>The real keel-tau-tools process started with <c>--previews</c>, over stdio with the MCP C# SDK's client.</summary>
public sealed class PreviewServerEndToEndTests
{
    private static readonly string _serverDll = Path.Combine(AppContext.BaseDirectory, "keel-tau-tools.dll");

    private static string Text(CallToolResult result) => result.Content.OfType<TextContentBlock>().Single().Text;

    [Fact]
    public async Task Server_WithPreviews_ListsADryRunPerWriteAndItsCallChangesNothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var client = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "keel-tau-tools",
            Command = "dotnet",
            Arguments = [_serverDll, "--domain", "airline", "--previews"],
            WorkingDirectory = AppContext.BaseDirectory,
        }), cancellationToken: cancellationToken);

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

        var read = Text(await client.CallToolAsync("get_reservation_details", new Dictionary<string, object?> { ["reservation_id"] = "YAX4DR" }, cancellationToken: cancellationToken));
        var planned = await client.CallToolAsync("preview_cancel_reservation", new Dictionary<string, object?> { ["reservation_id"] = "YAX4DR" }, cancellationToken: cancellationToken);
        planned.IsError.ShouldNotBe(true);
        using (var plan = JsonDocument.Parse(Text(planned)))
        {
            plan.RootElement.GetProperty("after").GetProperty("reservations").GetProperty("YAX4DR").GetProperty("status").GetString().ShouldBe("cancelled");
        }

        Text(await client.CallToolAsync("get_reservation_details", new Dictionary<string, object?> { ["reservation_id"] = "YAX4DR" }, cancellationToken: cancellationToken)).ShouldBe(read);
        var failed = await client.CallToolAsync("preview_cancel_reservation", new Dictionary<string, object?> { ["reservation_id"] = "NOPE00" }, cancellationToken: cancellationToken);
        failed.IsError.ShouldBe(true);
        Text(failed).ShouldBe("Error: reservation not found");
    }
}
