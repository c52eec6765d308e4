using System.Text;
using System.Text.Json.Nodes;
using Keel.TauTools.Json;
using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Json;

public sealed class PyJsonTests
{
    private static JsonNode? Parse(string json) => PyJson.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Dumps_Object_UsesPythonSeparatorsAndKeyOrder() =>
        PyJson.Dumps(Parse("""{"b":1,"a":[1,2,{}],"c":null,"d":true}""")).ShouldBe("""{"b": 1, "a": [1, 2, {}], "c": null, "d": true}""");

    [Fact]
    public void Dumps_Numbers_KeepIntOrFloatKindOfTheText() =>
        PyJson.Dumps(Parse("""[250, 250.0, 1e2, -0, 47.84, 1.10]""")).ShouldBe("[250, 250.0, 100.0, 0, 47.84, 1.1]");

    [Fact]
    public void Dumps_NonAsciiAndControlCharacters_AreEscapedLikeEnsureAscii() =>
        PyJson.Dumps(JsonValue.Create("é\"\\\n\u0001😀/")).ShouldBe("\"\\u00e9\\\"\\\\\\n\\u0001\\ud83d\\ude00/\"");

    [Fact]
    public void Parse_RepeatedKey_KeepsFirstPositionAndLastValue() =>
        PyJson.Dumps(Parse("""{"a":1,"b":2,"a":3}""")).ShouldBe("""{"a": 3, "b": 2}""");

    [Fact]
    public void AsNumber_ValueFromJsonNodeParse_ReadsKindFromText()
    {
        var node = JsonNode.Parse("[2, 2.0]")!.AsArray();
        PyJson.AsNumber(node[0])!.Value.IsFloat.ShouldBeFalse();
        PyJson.AsNumber(node[1])!.Value.IsFloat.ShouldBeTrue();
    }

    [Fact]
    public void Parse_IntegerBeyond64Bits_IsRefused() =>
        Should.Throw<System.Text.Json.JsonException>(() => Parse("[123456789012345678901234567890]"));
}
