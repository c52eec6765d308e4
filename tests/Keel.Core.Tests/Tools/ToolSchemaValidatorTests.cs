using System.Text.Json.Nodes;
using Keel.Tools;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Tools;

public sealed class ToolSchemaValidatorTests
{
    private static readonly ToolSchemaValidator Validator = ToolCatalogLoader.Parse(JsonNode.Parse("""
        {"tools": [{"type": "function", "function": {"name": "book", "parameters": {"type": "object", "properties": {
          "user_id": {"type": "string"},
          "passengers": {"type": "array", "items": {"type": "object", "properties": {"first_name": {"type": "string"}, "dob": {"type": "string"}}, "required": ["first_name"]}},
          "total_baggages": {"type": "integer"},
          "insurance": {"type": "string", "enum": ["yes", "no"]}},
          "required": ["user_id", "passengers"]}}}]}
        """), "tools.json").Tools.Single().Validator;

    [Theory]
    [InlineData("""{"user_id": "u", "passengers": [{"first_name": "Mia"}, {"dob": "1990-04-05"}]}""", "$.passengers[1].first_name", "missing_field")]
    [InlineData("""{"user_id": "u", "passengers": [], "total_baggages": 1.5}""", "$.total_baggages", "wrong_type")]
    [InlineData("""{"user_id": "u", "passengers": [], "total_baggages": "2"}""", "$.total_baggages", "wrong_type")]
    [InlineData("""{"user_id": "u", "passengers": [], "insurance": "maybe"}""", "$.insurance", "not_in_enum")]
    [InlineData("""{"user_id": "u", "passengers": [{"first_name": "Mia", "age": 34}]}""", "$.passengers[0].age", "extra_field")]
    [InlineData("""{"user_id": "u", "passengers": {"first_name": "Mia"}}""", "$.passengers", "wrong_type")]
    public void Validate_OneViolation_NamesItsJsonPathAndKind(string arguments, string path, string kind)
    {
        var violation = Validator.Validate(arguments).ShouldHaveSingleItem();

        violation.JsonPath.ShouldBe(path);
        violation.Kind.ShouldBe(kind);
        violation.ToString().ShouldStartWith(path + ": ");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_EmptyArguments_AreAnEmptyObject(string arguments) =>
        Validator.Validate(arguments).Select(v => v.Kind).ShouldBe(["missing_field", "missing_field"]);

    [Fact]
    public void Validate_TruncatedJson_IsMalformedWithThePosition()
    {
        var violation = Validator.Validate("""{"user_id": "u", "passengers": [""").ShouldHaveSingleItem();

        violation.JsonPath.ShouldBe("$");
        violation.Kind.ShouldBe("malformed_json");
        violation.Message.ShouldStartWith("arguments are not valid JSON (line 1, position ");
    }

    [Fact]
    public void Validate_JsonThatIsNotAnObject_IsMalformed() =>
        Validator.Validate("\"u\"").ShouldHaveSingleItem().Message.ShouldBe("arguments must be a JSON object, not string");

    [Fact]
    public void Validate_SingleQuotedJson_IsMalformed() =>
        Validator.Validate("{'user_id': 'u', 'passengers': []}").ShouldHaveSingleItem().Kind.ShouldBe("malformed_json");

    [Theory]
    [InlineData("""{"user_id": "u", "passengers": [], "total_baggages": 123456789012345678901234567890}""", "$.total_baggages")]
    [InlineData("""{"user_id": "u", "passengers": [], "total_baggages": -9223372036854775809}""", "$.total_baggages")]
    [InlineData("""{"user_id": 18446744073709551616, "passengers": []}""", "$.user_id")]
    [InlineData("""{"user_id": "u", "passengers": [{"first_name": "Mia", "dob": 99999999999999999999}]}""", "$.passengers[0].dob")]
    public void Validate_AnIntegerBeyondInt64_IsAnInvalidViolationAtItsPath(string arguments, string path)
    {
        var violation = Validator.Validate(arguments).ShouldHaveSingleItem();

        violation.JsonPath.ShouldBe(path);
        violation.Kind.ShouldBe("invalid");
        violation.Message.ShouldContain("64-bit");
    }

    [Fact]
    public void Validate_Int64Extremes_AreValidIntegers() =>
        Validator.Validate("""{"user_id": "u", "passengers": [], "total_baggages": 9223372036854775807}""").ShouldBeEmpty();
}
