using System.Text.Json;
using Keel.Gateway;
using Keel.Plans;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Plans;

public sealed class JsonPatchDiffTests
{
    internal static JsonElement ParseJson(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static string Diff(string before, string after) => JsonPatchDiff.Create(ParseJson(before), ParseJson(after)).GetRawText();

    [Fact]
    public void Create_EqualValues_IsAnEmptyPatch()
    {
        Diff("""{"a": [1, {"b": null}], "c": "x"}""", """{"c": "x", "a": [1, {"b": null}]}""").ShouldBe("[]");
    }

    [Fact]
    public void Create_ChangedMember_IsOneReplaceWithTheNewValue()
    {
        Diff("""{"status": "active", "id": "ZFA04Y"}""", """{"status": "cancelled", "id": "ZFA04Y"}""")
            .ShouldBe("""[{"op":"replace","path":"/status","value":"cancelled"}]""");
    }

    [Fact]
    public void Create_MembersAddedAndRemoved_AreWrittenInOrdinalNameOrder()
    {
        Diff("""{"b": 1, "Z": 2, "a": 3}""", """{"a": 3, "c": [1], "B": true}""")
            .ShouldBe("""[{"op":"add","path":"/B","value":true},{"op":"remove","path":"/Z"},{"op":"remove","path":"/b"},{"op":"add","path":"/c","value":[1]}]""");
    }

    [Fact]
    public void Create_MemberNamesWithSlashAndTilde_AreEscapedAsRfc6901Says()
    {
        Diff("""{"a/b": {"m~n": 1}}""", """{"a/b": {"m~n": 2}, "~/": 0}""")
            .ShouldBe("""[{"op":"replace","path":"/a~1b/m~0n","value":2},{"op":"add","path":"/~0~1","value":0}]""");
    }

    [Fact]
    public void Create_LongerArray_ComparesByIndexThenAddsInAscendingOrder()
    {
        Diff("""{"h": [{"amount": 10}]}""", """{"h": [{"amount": 10}, {"amount": -10}, 5]}""")
            .ShouldBe("""[{"op":"add","path":"/h/1","value":{"amount":-10}},{"op":"add","path":"/h/2","value":5}]""");
    }

    [Fact]
    public void Create_ShorterArray_RemovesFromTheEndBackwards()
    {
        Diff("[1, 2, 3, 4]", "[1, 9]")
            .ShouldBe("""[{"op":"replace","path":"/1","value":9},{"op":"remove","path":"/3"},{"op":"remove","path":"/2"}]""");
    }

    [Fact]
    public void Create_ElementInsertedAtTheFront_ShowsAsReplacesPlusOneAdd()
    {
        Diff("""["b", "c"]""", """["a", "b", "c"]""")
            .ShouldBe("""[{"op":"replace","path":"/0","value":"a"},{"op":"replace","path":"/1","value":"b"},{"op":"add","path":"/2","value":"c"}]""");
    }

    [Fact]
    public void Create_DifferentRoots_IsOneReplaceOfTheWholeValue()
    {
        Diff("""{"a": 1}""", "[1]").ShouldBe("""[{"op":"replace","path":"","value":[1]}]""");
        Diff("null", "{}").ShouldBe("""[{"op":"replace","path":"","value":{}}]""");
    }

    [Fact]
    public void Create_KindChangeInsideObject_IsAReplaceNotARecursion()
    {
        Diff("""{"x": {"a": 1}}""", """{"x": ["a", 1]}""").ShouldBe("""[{"op":"replace","path":"/x","value":["a",1]}]""");
    }

    [Fact]
    public void Create_NumbersEqualByValue_AreNotChanges_ButNewValuesKeepTheirText()
    {
        Diff("""{"a": 250, "b": 1}""", """{"a": 250.0, "b": 1.50}""").ShouldBe("""[{"op":"replace","path":"/b","value":1.50}]""");
    }

    [Fact]
    public void Create_SameInputsTwice_GiveTheSameCanonicalText()
    {
        const string before = """{"z": {"q": [1, 2]}, "a": "x"}""";
        const string after = """{"a": "y", "z": {"q": [2], "r": null}}""";

        CanonicalJson.Write(JsonPatchDiff.Create(ParseJson(before), ParseJson(after))).ShouldBe(CanonicalJson.Write(JsonPatchDiff.Create(ParseJson(before), ParseJson(after))));
        Diff(before, after).ShouldBe("""[{"op":"replace","path":"/a","value":"y"},{"op":"replace","path":"/z/q/0","value":2},{"op":"remove","path":"/z/q/1"},{"op":"add","path":"/z/r","value":null}]""");
    }

    [Fact]
    public void Create_UndefinedElement_Throws()
    {
        Should.Throw<ArgumentException>(() => JsonPatchDiff.Create(default, ParseJson("{}"))).ParamName.ShouldBe("before");
        Should.Throw<ArgumentException>(() => JsonPatchDiff.Create(ParseJson("{}"), default)).ParamName.ShouldBe("after");
    }

    [Theory]
    [InlineData("a/b", "a~1b")]
    [InlineData("m~n", "m~0n")]
    [InlineData("~1", "~01")]
    [InlineData("plain", "plain")]
    public void EscapeToken_SpecialCharacters_RoundTripThroughUnescape(string name, string token)
    {
        JsonPatchDiff.EscapeToken(name).ShouldBe(token);
        JsonPatchDiff.UnescapeToken(token).ShouldBe(name);
    }
}
