using System.Text.Json;
using Keel.Model;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Model;

public sealed class ToolCallTests
{
    [Fact]
    public void TryParseArguments_CopyWithOtherArguments_ParsesTheCopysOwnText()
    {
        var call = new ToolCall("c1", "book", """{"cabin": "economy"}""");
        call.TryParseArguments(out _, out _).ShouldBeTrue();

        var copy = call with { ArgumentsJson = """{"cabin": "business"}""" };

        copy.TryParseArguments(out var arguments, out _).ShouldBeTrue();
        arguments.GetProperty("cabin").GetString().ShouldBe("business");
        call.TryParseArguments(out var original, out _).ShouldBeTrue();
        original.GetProperty("cabin").GetString().ShouldBe("economy");
    }

    [Fact]
    public void WithParsedArguments_ElementFromTheEdge_KeepsItsTextAndIsEqualToTheSameCallFromText()
    {
        using var body = JsonDocument.Parse("""{"arguments": {"cabin": "economy", "n": 2}}""");
        var arguments = body.RootElement.GetProperty("arguments").Clone();

        var parsed = ToolCall.WithParsedArguments("c1", "book", arguments);
        var fromText = new ToolCall("c1", "book", """{"cabin": "economy", "n": 2}""");

        parsed.ArgumentsJson.ShouldBe("""{"cabin": "economy", "n": 2}""");
        parsed.TryParseArguments(out var again, out _).ShouldBeTrue();
        again.GetProperty("n").GetInt32().ShouldBe(2);
        fromText.TryParseArguments(out _, out _).ShouldBeTrue();
        parsed.ShouldBe(fromText);
        parsed.GetHashCode().ShouldBe(fromText.GetHashCode());
    }

    [Fact]
    public void WithParsedArguments_NotAnObject_Throws() =>
        Should.Throw<ArgumentException>(() => ToolCall.WithParsedArguments("c1", "book", JsonDocument.Parse("[1]").RootElement.Clone()));

    [Theory]
    [InlineData("""{"cabin": """, "arguments are not valid JSON (line 1, position ")]
    [InlineData("[1, 2]", "arguments must be a JSON object, not array")]
    public void TryParseArguments_NotAJsonObject_SaysWhy(string text, string error)
    {
        var call = new ToolCall("c1", "book", text);

        call.TryParseArguments(out _, out var why).ShouldBeFalse();

        why.ShouldNotBeNull().ShouldStartWith(error);
    }
}
