using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Policies.Cel;

public sealed class CelOperatorTests
{
    [Theory]
    [InlineData("1 + 2 * 3", 7L)]
    [InlineData("(1 + 2) * 3", 9L)]
    [InlineData("10 - 4 - 3", 3L)]
    [InlineData("100 / 10 / 5", 2L)]
    [InlineData("7 % 4 * 2", 6L)]
    [InlineData("-2 * 3", -6L)]
    [InlineData("--5", 5L)]
    [InlineData("2 + -3", -1L)]
    [InlineData("-(1 + 2)", -3L)]
    public void Evaluate_Arithmetic_FollowsCelPrecedence(string source, long expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Theory]
    [InlineData("1 + 2 == 3 && 4 > 3", true)]
    [InlineData("true || false && false", true)]
    [InlineData("(true || false) && false", false)]
    [InlineData("!true || true", true)]
    [InlineData("!(true || true)", false)]
    [InlineData("1 < 2 == true", true)]
    [InlineData("2 in [1, 2] && !(3 in [1, 2])", true)]
    [InlineData("false ? 1 : 2 == 2", true)]
    [InlineData("true ? false : true ? true : true", false)]
    [InlineData("!!true", true)]
    public void Evaluate_Logical_FollowsCelPrecedence(string source, bool expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Fact]
    public void Evaluate_ConditionalChain_IsRightAssociative()
    {
        Cel.Eval("x > 10 ? 'big' : x > 5 ? 'medium' : 'small'", ("x", 7)).ShouldBe("medium");
        Cel.Eval("x > 10 ? 'big' : x > 5 ? 'medium' : 'small'", ("x", 1)).ShouldBe("small");
    }

    [Theory]
    [InlineData("7 / 2", 3L)]
    [InlineData("-7 / 2", -3L)]
    [InlineData("-7 % 3", -1L)]
    public void Evaluate_IntDivision_TruncatesTowardZero(string source, long expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Theory]
    [InlineData("1.5 + 1.5", 3.0)]
    [InlineData("1 + 0.5", 1.5)]
    [InlineData("0.5 * 4", 2.0)]
    [InlineData("7 / 2.0", 3.5)]
    [InlineData("-x", -2.5)]
    public void Evaluate_DoubleArithmetic_PromotesMixedInts(string source, double expected) =>
        Cel.Eval(source, ("x", 2.5)).ShouldBe(expected);

    [Fact]
    public void Evaluate_DoubleDivisionByZero_IsInfinity() =>
        Cel.Eval("1.0 / 0.0").ShouldBe(double.PositiveInfinity);

    [Theory]
    [InlineData("9223372036854775807 + 1")]
    [InlineData("-9223372036854775808 - 1")]
    [InlineData("9223372036854775807 * 2")]
    [InlineData("-9223372036854775808 / -1")]
    [InlineData("-9223372036854775808 % -1")]
    [InlineData("-x")]
    public void Evaluate_IntOverflow_ReturnsError(string source) =>
        Cel.ErrorOf(source, ("x", long.MinValue)).ShouldBe("integer overflow");

    [Fact]
    public void Evaluate_DivisionByZero_ReturnsError()
    {
        Cel.ErrorOf("x / 0", ("x", 1)).ShouldBe("division by zero");
        Cel.ErrorOf("x % 0", ("x", 1)).ShouldBe("modulus by zero");
    }

    [Theory]
    [InlineData("'a' + 1", "no such overload: string + int")]
    [InlineData("1 - 'a'", "no such overload: int - string")]
    [InlineData("true * 2", "no such overload: bool * int")]
    [InlineData("[1] / 2", "no such overload: list / int")]
    [InlineData("1.5 % 2", "no such overload: double % int")]
    [InlineData("-'a'", "no such overload: -string")]
    [InlineData("!1", "no such overload: !int")]
    [InlineData("'a' < 1", "no such overload: string < int")]
    [InlineData("null >= null", "no such overload: null >= null")]
    [InlineData("{'a': 1} > {'a': 1}", "no such overload: map > map")]
    [InlineData("1 in 5", "no such overload: int in int")]
    [InlineData("'b' in 'abc'", "no such overload: string in string (use text.contains(part) for substrings)")]
    public void Evaluate_OperatorOnWrongTypes_ReturnsNoSuchOverload(string source, string message) =>
        Cel.ErrorOf(source).ShouldBe(message);

    [Theory]
    [InlineData("'ab' + 'cd' == 'abcd'")]
    [InlineData("[1, 2] + [3] == [1, 2, 3]")]
    [InlineData("1 == 1.0")]
    [InlineData("1.0 == 1")]
    [InlineData("2 != 2.5")]
    [InlineData("1 < 1.5 && 2.5 > 2 && 3 >= 3.0 && 3.0 <= 3")]
    [InlineData("'a' < 'b' && 'abc' > 'abb'")]
    [InlineData("false < true")]
    [InlineData("null == null")]
    [InlineData("'1' != 1")]
    [InlineData("null != 0")]
    [InlineData("[1, 'a'] == [1.0, 'a']")]
    [InlineData("[1, 2] != [2, 1]")]
    [InlineData("{'a': 1, 'b': [2]} == {'b': [2.0], 'a': 1}")]
    [InlineData("{'a': 1} != {'a': 2}")]
    [InlineData("9007199254740993 != 9007199254740992.0")]
    [InlineData("9223372036854775807 < 9223372036854775808.0")]
    public void Evaluate_EqualityAndOrdering_ComparesByValue(string source) =>
        Cel.Eval(source).ShouldBe(true);

    [Fact]
    public void Evaluate_NaN_IsNotEqualOrOrdered()
    {
        Cel.Eval("x == x", ("x", double.NaN)).ShouldBe(false);
        Cel.Eval("x != x", ("x", double.NaN)).ShouldBe(true);
        Cel.Eval("x < 1 || x >= 1", ("x", double.NaN)).ShouldBe(false);
    }

    [Theory]
    [InlineData("'b' in ['a', 'b']", true)]
    [InlineData("'c' in ['a', 'b']", false)]
    [InlineData("2 in [1.0, 2.0]", true)]
    [InlineData("'k' in {'k': null}", true)]
    [InlineData("'v' in {'k': 'v'}", false)]
    [InlineData("1 in {'1': true}", false)]
    [InlineData("[1] in [[1], [2]]", true)]
    public void Evaluate_In_TestsListElementsAndMapKeys(string source, bool expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Fact]
    public void Evaluate_ErrorOperand_PropagatesLeftFirst()
    {
        Cel.ErrorOf("missing + 1").ShouldBe("undeclared reference to 'missing'");
        Cel.ErrorOf("(1 / 0) == (1 % 0)").ShouldBe("division by zero");
        Cel.ErrorOf("1 == (1 % 0)").ShouldBe("modulus by zero");
    }

    [Fact]
    public void Evaluate_ListConcatenation_DoesNotChangeOperands()
    {
        var original = new List<object?> { 1L };
        Cel.Eval("l + [2]", ("l", original)).ShouldBeAssignableTo<IReadOnlyList<object?>>()!.Count.ShouldBe(2);
        original.Count.ShouldBe(1);
    }

    [Fact]
    public void Evaluate_ClrNumberTypes_AreWidened()
    {
        Cel.Eval("a + b + c == 6", ("a", 1), ("b", (short)2), ("c", 3u)).ShouldBe(true);
        Cel.Eval("f == 0.5 && m == 2.5", ("f", 0.5f), ("m", 2.5m)).ShouldBe(true);
    }
}
