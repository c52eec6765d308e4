using System.Text.Json;
using Keel.Plans;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Plans.JsonPatchDiffTests;

namespace Keel.Core.Tests.Plans;

public sealed class JsonPatchApplyTests
{
    private static string Apply(string document, string patch) => JsonPatchDiff.Apply(ParseJson(document), ParseJson(patch)).GetRawText();

    [Fact]
    public void Apply_AddRemoveReplace_ChangeTheDocumentInOrder()
    {
        Apply("""{"a": [1, 2, 3], "b": {"c": 1}}""", """
            [{"op": "replace", "path": "/b/c", "value": "x"}, {"op": "remove", "path": "/a/2"}, {"op": "add", "path": "/a/0", "value": 0},
             {"op": "add", "path": "/a/-", "value": 9}, {"op": "add", "path": "/d~1e", "value": null}]
            """).ShouldBe("""{"a":[0,1,2,9],"b":{"c":"x"},"d/e":null}""");
    }

    [Fact]
    public void Apply_ReplaceAtTheRoot_ReturnsTheNewValue()
    {
        Apply("""{"a": 1}""", """[{"op": "replace", "path": "", "value": [true]}]""").ShouldBe("[true]");
    }

    [Fact]
    public void Apply_DoesNotChangeTheInput()
    {
        var document = ParseJson("""{"a": 1}""");

        JsonPatchDiff.Apply(document, ParseJson("""[{"op": "remove", "path": "/a"}]""")).GetRawText().ShouldBe("{}");
        document.GetRawText().ShouldBe("""{"a": 1}""");
    }

    [Theory]
    [InlineData("""[{"op": "remove", "path": "/missing"}]""", "Operation 0 (remove /missing) cannot be applied: the member does not exist.")]
    [InlineData("""[{"op": "add", "path": "/a/5", "value": 1}]""", "Operation 0 (add /a/5) cannot be applied: index 5 is past the end of the array (length 2).")]
    [InlineData("""[{"op": "replace", "path": "/a/2", "value": 1}]""", "Operation 0 (replace /a/2) cannot be applied: index 2 is past the end of the array (length 2).")]
    [InlineData("""[{"op": "add", "path": "/x/y", "value": 1}]""", "Operation 0 (add /x/y) cannot be applied: '/x' does not exist.")]
    [InlineData("""[{"op": "add", "path": "/a/01", "value": 1}]""", "Operation 0 (add /a/01) cannot be applied: '01' is not an array index.")]
    [InlineData("""[{"op": "remove", "path": "/a/0"}, {"op": "remove", "path": ""}]""", "Operation 1 (remove ) cannot be applied: the whole value cannot be removed.")]
    public void Apply_PathThatDoesNotExist_ThrowsNamingTheOperation(string patch, string message)
    {
        Should.Throw<InvalidOperationException>(() => Apply("""{"a": [1, 2]}""", patch)).Message.ShouldBe(message);
    }

    [Theory]
    [InlineData("""{"op": "add"}""", "not an array of operations")]
    [InlineData("""[{"op": "move", "from": "/a", "path": "/b"}]""", "Operation 0 is 'move'; only add, remove and replace are supported.")]
    [InlineData("""[{"op": "add", "path": "/b"}]""", "Operation 0 (add /b) has no \"value\".")]
    [InlineData("""[{"op": "add", "path": "b", "value": 1}]""", "Operation 0 has path 'b', which is not a JSON Pointer")]
    [InlineData("""[{"path": "/b"}]""", "Operation 0 of the patch is not an object with string \"op\" and \"path\".")]
    public void Apply_MalformedPatch_ThrowsArgumentException(string patch, string message)
    {
        var error = Should.Throw<ArgumentException>(() => Apply("""{"a": 1}""", patch));
        error.ParamName.ShouldBe("patch");
        if (message.StartsWith("not", StringComparison.Ordinal))
        {
            error.Message.ShouldContain("A JSON Patch is an array of operations, not object.");
        }
        else
        {
            error.Message.ShouldStartWith(message);
        }
    }

    [Fact]
    public void Apply_PatchWithOperationsCreateNeverWrites_IsRefusedBeforeChangingAnything()
    {
        Should.Throw<ArgumentException>(() => JsonPatchDiff.Apply(ParseJson("{}"), ParseJson("""[{"op": "test", "path": "", "value": {}}]""")));
        Should.Throw<ArgumentException>(() => JsonPatchDiff.Apply(default, ParseJson("[]"))).ParamName.ShouldBe("document");
    }

    [Fact]
    public void Apply_EmptyPatch_ReturnsAnEqualValue()
    {
        var document = ParseJson("""{"n": 1.50, "s": "é"}""");

        JsonElement.DeepEquals(JsonPatchDiff.Apply(document, ParseJson("[]")), document).ShouldBeTrue();
    }
}
