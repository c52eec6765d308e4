using System.Text.Json.Nodes;
using Keel.Bundles;
using Keel.Core.Tests.Bundles;
using Keel.Tools;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Tools;

/// <summary>The <c>x-preview</c> annotation: a WRITE tool's dry-run tool (docs/plans.md).</summary>
public sealed class ToolCatalogPreviewTests
{
    private static ToolCatalog Parse(params string[] tools) => ToolCatalogLoader.Parse(JsonNode.Parse($$"""{"tools": [{{string.Join(", ", tools)}}]}"""), "tools.json");

    private static string Tool(string name, string extra) =>
        "{\"type\": \"function\" " + extra + ", \"function\": {\"name\": \"" + name + "\", \"description\": \"d\", " +
        "\"parameters\": {\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"string\"}}}}}";

    [Fact]
    public void Parse_WriteToolWithPreview_KeepsThePreviewToolName_AndItNeedNotBeInTheCatalog()
    {
        var catalog = Parse(Tool("cancel", ", \"x-tool-type\": \"WRITE\", \"x-preview\": \"preview_cancel\""), Tool("lookup", ", \"x-tool-type\": \"READ\""));

        catalog.TryGet("cancel", out var cancel).ShouldBeTrue();
        cancel!.PreviewTool.ShouldBe("preview_cancel");
        catalog.TryGet("lookup", out var lookup).ShouldBeTrue();
        lookup!.PreviewTool.ShouldBeNull();
        catalog.Contains("preview_cancel").ShouldBeFalse();
    }

    [Fact]
    public void Parse_PreviewToolListedAsRead_IsAccepted()
    {
        var catalog = Parse(Tool("cancel", ", \"x-tool-type\": \"WRITE\", \"x-preview\": \"preview_cancel\""), Tool("preview_cancel", ", \"x-tool-type\": \"READ\""));

        catalog.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData(", \"x-tool-type\": \"WRITE\", \"x-preview\": true", "$.tools[0].x-preview must be a string, not true")]
    [InlineData(", \"x-tool-type\": \"WRITE\", \"x-preview\": \" \"", "$.tools[0].x-preview is empty. Name the tool that previews 'cancel' (e.g. \"preview_cancel\") or remove the key")]
    [InlineData(", \"x-tool-type\": \"WRITE\", \"x-preview\": \"cancel\"", "$.tools[0].x-preview names 'cancel' itself. A preview is a separate dry-run tool that changes nothing, e.g. \"preview_cancel\"")]
    [InlineData(", \"x-tool-type\": \"READ\", \"x-preview\": \"preview_cancel\"", "$.tools[0].x-preview is set on a READ tool. Only a WRITE tool changes state worth previewing: set x-tool-type to WRITE or remove x-preview")]
    [InlineData(", \"x-preview\": \"preview_cancel\"", "$.tools[0].x-preview is set on a GENERIC tool. Only a WRITE tool changes state worth previewing: set x-tool-type to WRITE or remove x-preview")]
    public void Parse_BadPreview_NamesThePathAndTheFix(string extra, string problem)
    {
        Should.Throw<BundleLoadException>(() => Parse(Tool("cancel", extra))).Problem.ShouldBe(problem);
    }

    [Fact]
    public void Parse_PreviewToolListedAsWrite_IsRefused()
    {
        var ex = Should.Throw<BundleLoadException>(() => Parse(
            Tool("cancel", ", \"x-tool-type\": \"WRITE\", \"x-preview\": \"cancel_dry\""), Tool("cancel_dry", ", \"x-tool-type\": \"WRITE\"")));

        ex.Problem.ShouldBe("tool 'cancel' has x-preview 'cancel_dry', which this file declares as a WRITE tool. A preview changes nothing: " +
            "mark 'cancel_dry' x-tool-type READ, or leave it out of tools.json (the gateway calls previews; the agent need not see them)");
    }

    [Theory]
    [InlineData("tau-airline", new[] { "book_reservation", "cancel_reservation", "send_certificate", "update_reservation_flights" })]
    [InlineData("tau-retail", new[] { "cancel_pending_order", "exchange_delivered_order_items", "modify_pending_order_items", "modify_pending_order_payment", "return_delivered_order_items" })]
    public void Load_ShippedCatalogs_PreviewTheRiskyWritesTheReadmeNames(string sample, string[] previewed)
    {
        var catalog = ToolCatalogLoader.Load(RepoPaths.Sample(sample, "tools.json"));

        catalog.Tools.Where(t => t.PreviewTool is not null).Select(t => (t.Name, t.PreviewTool)).ShouldBe(previewed.Select(name => (name, (string?)("preview_" + name))));
        catalog.Tools.Where(t => t.PreviewTool is not null).ShouldAllBe(t => t.Type == ToolType.Write);
        File.ReadAllText(RepoPaths.Sample(sample, "README.md")).ShouldContain("x-preview");
    }
}
