using System.Text;
using Keel.Server.Hosting;

namespace Keel.Server.Tests;

public sealed class JsonInputTests
{
    [Theory]
    [InlineData("""{"a":"\ud83d\ude00"}""")]
    [InlineData("""{"a":"\\ud800"}""")]
    [InlineData("""{"a":"\u00e9\n\"\\"}""")]
    [InlineData("""[1, 123456789012345678901234567890, 1e400, -0, "x"]""")]
    [InlineData("""{"\ud83d\ude00":{"b":[{"c":null}]}}""")]
    public void Check_WellFormedText_IsNull(string json) => JsonInput.Check(Encoding.UTF8.GetBytes(json)).ShouldBeNull();

    [Theory]
    [InlineData("""{"a":"\ud800"}""", "$.a")]
    [InlineData("""{"a":"\udc00\ud800"}""", "$.a")]
    [InlineData("""{"a":"\ud83d\n"}""", "$.a")]
    [InlineData("""{"a":"x\ud83dy"}""", "$.a")]
    [InlineData("""{"a":[0,{"b":"\ud800"}]}""", "$.a[1].b")]
    [InlineData("""{"a b":{"c":["\udfff"]}}""", "$['a b'].c[0]")]
    [InlineData("""{"ok":1,"\ud800x":1}""", "$['\\ud800x']")]
    public void Check_ALoneSurrogateEscape_NamesItsPath(string json, string path)
    {
        var problem = JsonInput.Check(Encoding.UTF8.GetBytes(json));

        problem.ShouldNotBeNull();
        problem.Kind.ShouldBe(JsonInputProblemKind.Text);
        problem.Path.ShouldBe(path);
    }

    [Fact]
    public void Check_NestingAtTheLimit_PassesAndOneDeeperFails()
    {
        JsonInput.Check(Encoding.UTF8.GetBytes(new string('[', 64) + new string(']', 64))).ShouldBeNull();

        var problem = JsonInput.Check(Encoding.UTF8.GetBytes(new string('[', 65) + new string(']', 65)));

        problem.ShouldNotBeNull();
        problem.Kind.ShouldBe(JsonInputProblemKind.Depth);
    }

    [Theory]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":1} {}")]
    [InlineData("")]
    [InlineData("{'a':1}")]
    public void Check_NotJson_IsASyntaxProblem(string json) =>
        JsonInput.Check(Encoding.UTF8.GetBytes(json))!.Kind.ShouldBe(JsonInputProblemKind.Syntax);

    [Fact]
    public void Check_InvalidUtf8InAString_IsATextProblem()
    {
        byte[] json = [.. "{\"a\":\"x"u8, 0xc3, .. "\"}"u8];

        JsonInput.Check(json)!.Kind.ShouldBe(JsonInputProblemKind.Text);
    }
}
