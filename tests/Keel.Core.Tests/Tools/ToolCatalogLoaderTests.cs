using System.Text.Json.Nodes;
using Keel.Bundles;
using Keel.Core.Tests.Bundles;
using Keel.Tools;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Tools;

public sealed class ToolCatalogLoaderTests
{
    private static ToolCatalog Parse(string json, bool strict = true) => ToolCatalogLoader.Parse(JsonNode.Parse(json), "tools.json", strict);

    private static string Tool(string name, string extra = "", string parameters = """{"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}""") =>
        $$$"""{"type": "function" {{{extra}}}, "function": {"name": "{{{name}}}", "description": "d", "parameters": {{{parameters}}}}}""";

    [Fact]
    public void Parse_ToolTypesAndIdempotency_FollowTheAnnotationsAndTheirDefaults()
    {
        var catalog = Parse($$"""
            {"tools": [
              {{Tool("lookup", ", \"x-tool-type\": \"READ\"")}},
              {{Tool("cancel", ", \"x-tool-type\": \"WRITE\"")}},
              {{Tool("set_bags", ", \"x-tool-type\": \"write\", \"x-idempotent\": true")}},
              {{Tool("think")}},
              {{Tool("scan", ", \"x-tool-type\": \"READ\", \"x-idempotent\": false")}}
            ]}
            """);

        catalog.Count.ShouldBe(5);
        catalog.Tools.Select(t => (t.Name, t.Type, t.IsIdempotent)).ShouldBe([
            ("cancel", ToolType.Write, false),
            ("lookup", ToolType.Read, true),
            ("scan", ToolType.Read, false),
            ("set_bags", ToolType.Write, true),
            ("think", ToolType.Generic, false)]);
        catalog.TryGet("lookup", out var lookup).ShouldBeTrue();
        lookup!.ParameterNames.ShouldBe(["id"]);
        catalog.Contains("Lookup").ShouldBeFalse();
    }

    [Fact]
    public void Parse_Strict_RejectsFieldsTheSchemaDoesNotDeclare()
    {
        const string json = """{"tools": [{"type": "function", "function": {"name": "book", "parameters": {"type": "object", "properties": {"id": {"type": "string"}}}}}]}""";

        Parse(json, strict: true).Tools.Single().Validator.Validate("""{"id": "A", "vip": true}""").ShouldHaveSingleItem().Kind.ShouldBe("extra_field");
        Parse(json, strict: false).Tools.Single().Validator.Validate("""{"id": "A", "vip": true}""").ShouldBeEmpty();
    }

    [Fact]
    public void Parse_StrictSchemaThatAllowsExtraFields_KeepsAllowingThem()
    {
        const string json = """{"tools": [{"type": "function", "function": {"name": "note", "parameters": {"type": "object", "properties": {"id": {"type": "string"}}, "additionalProperties": true}}}]}""";

        Parse(json).Tools.Single().Validator.Validate("""{"id": "A", "anything": 1}""").ShouldBeEmpty();
    }

    [Fact]
    public void Parse_DefsReferences_AreResolvedForValidation()
    {
        const string json = """
            {"$defs": {"flight": {"type": "object", "properties": {"flight_number": {"type": "string"}, "date": {"type": "string"}}, "required": ["flight_number", "date"]}},
             "tools": [{"type": "function", "function": {"name": "book", "parameters": {"type": "object",
               "properties": {"flights": {"type": "array", "items": {"$ref": "#/$defs/flight"}}}, "required": ["flights"]}}}]}
            """;
        var validator = Parse(json).Tools.Single().Validator;

        validator.Validate("""{"flights": [{"flight_number": "HAT001", "date": "2024-05-20"}]}""").ShouldBeEmpty();
        var violation = validator.Validate("""{"flights": [{"flight_number": "HAT001"}]}""").ShouldHaveSingleItem();
        violation.JsonPath.ShouldBe("$.flights[0].date");
        violation.Kind.ShouldBe("missing_field");
    }

    [Fact]
    public void Parse_SchemaVersion_ChangesOnlyWhenTheSchemaChanges()
    {
        var a = Parse($$"""{"tools": [{{Tool("x")}}]}""").Tools.Single();
        var same = Parse($$"""{"tools": [{{Tool("x")}}]}""").Tools.Single();
        var changed = Parse($$"""{"tools": [{{Tool("x", parameters: """{"type": "object", "properties": {"id": {"type": "integer"}}}""")}}]}""").Tools.Single();

        a.SchemaVersion.Length.ShouldBe(16);
        a.SchemaVersion.ShouldBe(same.SchemaVersion);
        a.SchemaVersion.ShouldNotBe(changed.SchemaVersion);
    }

    [Fact]
    public void Parse_UnknownToolType_NamesThePathAndTheChoices()
    {
        var ex = Should.Throw<BundleLoadException>(() => Parse($$"""{"tools": [{{Tool("a")}}, {{Tool("b", ", \"x-tool-type\": \"DELETE\"")}}]}"""));

        ex.Message.ShouldBe("tools.json: $.tools[1].x-tool-type is 'DELETE'. Use READ, WRITE or GENERIC");
    }

    [Fact]
    public void Parse_DuplicateToolName_NamesTheTool()
    {
        var ex = Should.Throw<BundleLoadException>(() => Parse($$"""{"tools": [{{Tool("cancel")}}, {{Tool("cancel")}}]}"""));

        ex.Message.ShouldBe("tools.json: tool 'cancel' is defined twice. Give every tool a unique name");
    }

    [Fact]
    public void Parse_ToolWithoutName_NamesThePath()
    {
        var ex = Should.Throw<BundleLoadException>(() => Parse("""{"tools": [{"type": "function", "function": {"description": "nameless"}}]}"""));

        ex.Message.ShouldBe("tools.json: $.tools[0].function.name is missing. Name the tool");
    }

    [Theory]
    [InlineData(", \"x-idempotent\": \"true\"", "$.tools[0].x-idempotent")]
    [InlineData(", \"x-tool-type\": 1", "$.tools[0].x-tool-type")]
    public void Parse_AnnotationOfTheWrongJsonType_NamesThePath(string extra, string path)
    {
        var ex = Should.Throw<BundleLoadException>(() => Parse($$"""{"tools": [{{Tool("a", extra)}}]}"""));

        ex.Message.ShouldContain(path);
    }

    [Fact]
    public void Parse_NoToolsArray_SaysWhatIsExpected()
    {
        var ex = Should.Throw<BundleLoadException>(() => Parse("""{"functions": []}"""));

        ex.Message.ShouldStartWith("tools.json: expected an object with a \"tools\" array");
    }

    [Fact]
    public void Load_MissingFile_SaysFileNotFound()
    {
        var path = Path.Combine(Path.GetTempPath(), "keel-" + Guid.NewGuid().ToString("N"), "tools.json");

        var ex = Should.Throw<BundleLoadException>(() => ToolCatalogLoader.Load(path));

        ex.Message.ShouldBe($"{path}: file not found. Point 'tools:' in agent.yaml at a tools.json in OpenAI function-tool format");
    }

    [Fact]
    public void Load_InvalidJson_NamesTheLine()
    {
        var path = Path.Combine(Path.GetTempPath(), "keel-tools-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, "{\n  \"tools\": [\n    {\"type\": \"function\" \"function\": {}}\n  ]\n}\n");
        try
        {
            var ex = Should.Throw<BundleLoadException>(() => ToolCatalogLoader.Load(path));

            ex.Line.ShouldBe(3);
            ex.Message.ShouldStartWith($"{path}:3:");
            ex.Problem.ShouldNotBeNull().ShouldStartWith("not valid JSON: ");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_ShippedAirlineCatalog_HasTheToolsAndIdempotencyTheReadmeDocuments()
    {
        var catalog = ToolCatalogLoader.Load(RepoPaths.Sample("tau-airline", "tools.json"));

        catalog.Count.ShouldBe(14);
        catalog.Tools.Where(t => t.Type == ToolType.Write).Select(t => (t.Name, t.IsIdempotent)).ShouldBe([
            ("book_reservation", false),
            ("cancel_reservation", false),
            ("send_certificate", false),
            ("update_reservation_baggages", true),
            ("update_reservation_flights", true),
            ("update_reservation_passengers", true)]);
        catalog.TryGet("transfer_to_human_agents", out var transfer).ShouldBeTrue();
        transfer!.IsIdempotent.ShouldBeFalse();
    }
}
