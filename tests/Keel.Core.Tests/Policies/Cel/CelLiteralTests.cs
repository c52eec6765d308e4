using Keel.Policies.Cel;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Policies.Cel;

public sealed class CelLiteralTests
{
    [Theory]
    [InlineData("42", 42L)]
    [InlineData("0", 0L)]
    [InlineData("0x1F", 31L)]
    [InlineData("0XfF", 255L)]
    [InlineData("-7", -7L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void Evaluate_IntLiteral_ReturnsLong(string source, long expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("1e3", 1000.0)]
    [InlineData("2.5E-1", 0.25)]
    [InlineData(".5", 0.5)]
    [InlineData("-0.75", -0.75)]
    public void Evaluate_DoubleLiteral_ReturnsDouble(string source, double expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Theory]
    [InlineData("'abc'", "abc")]
    [InlineData("\"abc\"", "abc")]
    [InlineData("'it\\'s'", "it's")]
    [InlineData("\"say \\\"hi\\\"\"", "say \"hi\"")]
    [InlineData("'a\\nb\\tc'", "a\nb\tc")]
    [InlineData("'back\\\\slash'", "back\\slash")]
    [InlineData("'\\u00e9t\\u00E9'", "été")]
    [InlineData("'\\x41\\101'", "AA")]
    [InlineData("'\\U0001F600'", "\U0001F600")]
    [InlineData("\"it's\"", "it's")]
    [InlineData("''", "")]
    public void Evaluate_StringLiteral_DecodesEscapes(string source, string expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Theory]
    [InlineData("r'a\\nb'", "a\\nb")]
    [InlineData("R\"C:\\temp\\x\"", "C:\\temp\\x")]
    public void Evaluate_RawString_KeepsBackslashes(string source, string expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Fact]
    public void Evaluate_BoolAndNullLiterals_ReturnValues()
    {
        Cel.Eval("true").ShouldBe(true);
        Cel.Eval("false").ShouldBe(false);
        Cel.Eval("null").ShouldBeNull();
    }

    [Fact]
    public void Evaluate_ListLiteral_ReturnsElementsInOrder()
    {
        var list = Cel.Eval("[1, 'two', 3.0, [true],]").ShouldBeAssignableTo<IReadOnlyList<object?>>()!;
        list.Count.ShouldBe(4);
        list[0].ShouldBe(1L);
        list[1].ShouldBe("two");
        list[2].ShouldBe(3.0);
        list[3].ShouldBeAssignableTo<IReadOnlyList<object?>>()!.Single().ShouldBe(true);
    }

    [Fact]
    public void Evaluate_EmptyListAndMap_AreEmpty()
    {
        Cel.Eval("[]").ShouldBeAssignableTo<IReadOnlyList<object?>>()!.ShouldBeEmpty();
        Cel.Eval("{}").ShouldBeAssignableTo<IReadOnlyDictionary<string, object?>>()!.ShouldBeEmpty();
    }

    [Fact]
    public void Evaluate_MapLiteral_ReturnsStringKeyedMap()
    {
        var map = Cel.Eval("{'cabin': 'business', \"seats\": 2,}").ShouldBeAssignableTo<IReadOnlyDictionary<string, object?>>()!;
        map.Count.ShouldBe(2);
        map["cabin"].ShouldBe("business");
        map["seats"].ShouldBe(2L);
    }

    [Fact]
    public void Evaluate_MapLiteralWithComputedKey_UsesKeyValue()
    {
        Cel.Eval("{k + '_id': 1}.user_id", ("k", "user")).ShouldBe(1L);
    }

    [Fact]
    public void Evaluate_MapLiteralWithRepeatedKey_ReturnsError() =>
        Cel.ErrorOf("{'a': 1, 'a': 2}").ShouldBe("repeated map key: 'a'");

    [Fact]
    public void Evaluate_MapLiteralWithNonStringDynamicKey_ReturnsError() =>
        Cel.ErrorOf("{k: 1}", ("k", 5)).ShouldBe("no such overload: map key of type int (map keys must be strings)");

    [Fact]
    public void Evaluate_ConstantListResult_CannotBeMutatedBetweenEvaluations()
    {
        var program = CelProgram.Compile("[1, 2]");
        var first = program.Evaluate(new CelActivation());
        first.ShouldNotBeOfType<object?[]>();
        ((IReadOnlyList<object?>)program.Evaluate(new CelActivation())!)[0].ShouldBe(1L);
    }

    [Fact]
    public void Evaluate_Comment_IsIgnored() =>
        Cel.Eval("1 + // one more\n 1").ShouldBe(2L);
}
