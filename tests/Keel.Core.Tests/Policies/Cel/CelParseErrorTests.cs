using Keel.Policies.Cel;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Policies.Cel;

public sealed class CelParseErrorTests
{
    private const string Supported =
        "all, bool, contains, double, duration, dyn, endsWith, exists, exists_one, filter, getDate, getDayOfMonth, " +
        "getDayOfWeek, getDayOfYear, getFullYear, getHours, getMilliseconds, getMinutes, getMonth, getSeconds, has, " +
        "indexOf, int, lastIndexOf, lowerAscii, map, matches, max, min, size, startsWith, string, sum, timestamp, trim, upperAscii";

    [Theory]
    [InlineData("args.amount >= ()", 1, 17, "unexpected ')'; expected an expression")]
    [InlineData("", 1, 1, "unexpected end of expression; expected an expression")]
    [InlineData("   ", 1, 4, "unexpected end of expression; expected an expression")]
    [InlineData("a +", 1, 4, "unexpected end of expression; expected an expression")]
    [InlineData("a * , b", 1, 5, "unexpected ','; expected an expression")]
    [InlineData("a b", 1, 3, "unexpected identifier 'b'; expected an operator or the end of the expression")]
    [InlineData("a and b", 1, 3, "unexpected identifier 'and'; expected an operator or the end of the expression; CEL writes 'and' as '&&'")]
    [InlineData("(a or b)", 1, 4, "unexpected identifier 'or'; expected ')' to close the '(' at 1:1; CEL writes 'or' as '||'")]
    [InlineData("a 'x'", 1, 3, "unexpected string 'x'; expected an operator or the end of the expression")]
    [InlineData("a.", 1, 3, "unexpected end of expression; expected a field or method name after '.'")]
    [InlineData("a.'b'", 1, 3, "unexpected string 'b'; expected a field or method name after '.'")]
    [InlineData("a ? b", 1, 6, "unexpected end of expression; expected ':' to complete the conditional '?' at 1:3")]
    [InlineData("{'a' 1}", 1, 6, "unexpected number 1; expected ':' after the map key")]
    [InlineData("{1: 2}", 1, 2, "map keys must be strings, e.g. {'cabin': 'business'}")]
    public void Compile_UnexpectedToken_ReportsPositionAndExpectation(string source, int line, int column, string detail) =>
        AssertError(source, line, column, detail);

    [Theory]
    [InlineData("(a + b", 1, 7, "unexpected end of expression; expected ')' to close the '(' at 1:1")]
    [InlineData("a + b)", 1, 6, "unbalanced ')': there is no matching '('")]
    [InlineData("[1, 2", 1, 6, "unexpected end of expression; expected ',' or ']' to close the '[' at 1:1")]
    [InlineData("[1, 2]]", 1, 7, "unbalanced ']': there is no matching '['")]
    [InlineData("{'a': 1", 1, 8, "unexpected end of expression; expected ',' or '}' to close the '{' at 1:1")]
    [InlineData("{'a': 1}}", 1, 9, "unbalanced '}': there is no matching '{'")]
    [InlineData("x[1", 1, 4, "unexpected end of expression; expected ']' to close the '[' at 1:2")]
    [InlineData("size(x", 1, 7, "unexpected end of expression; expected ',' or ')' to close the '(' at 1:5")]
    [InlineData("size(x]", 1, 7, "unexpected ']'; expected ',' or ')' to close the '(' at 1:5")]
    public void Compile_UnbalancedBrackets_PointsAtOpener(string source, int line, int column, string detail) =>
        AssertError(source, line, column, detail);

    [Theory]
    [InlineData("args.cabin == 'business", 1, 15, "unterminated string literal; add the closing ' before the end of the line")]
    [InlineData("\"abc", 1, 1, "unterminated string literal; add the closing \" before the end of the line")]
    [InlineData("'ab\ncd'", 1, 1, "unterminated string literal; add the closing ' before the end of the line")]
    [InlineData("'''x'''", 1, 1, "triple-quoted strings are not supported; use a single-line string with \\n escapes")]
    [InlineData("b'x'", 1, 1, "bytes literals (b'...') are not supported; use a string")]
    [InlineData("'a\\qb'", 1, 3, "invalid escape sequence '\\q'; supported escapes are \\n \\t \\r \\\\ \\' \\\" \\uXXXX \\UXXXXXXXX \\xHH")]
    [InlineData("'\\u12'", 1, 2, "invalid \\u escape; expected 4 hex digits")]
    [InlineData("'\\uD800'", 1, 2, "invalid \\u escape; U+D800 is not a Unicode scalar value")]
    [InlineData("'\\8'", 1, 2, "invalid escape sequence '\\8'; supported escapes are \\n \\t \\r \\\\ \\' \\\" \\uXXXX \\UXXXXXXXX \\xHH")]
    [InlineData("'\\19'", 1, 2, "invalid octal escape; expected three octal digits such as \\101")]
    [InlineData("'abc\\", 1, 5, "unterminated escape sequence at the end of the line")]
    [InlineData("a \u0001 b", 1, 3, "unexpected character U+0001")]
    [InlineData("args.x # 1", 1, 8, "unexpected character '#'")]
    [InlineData("a = 1", 1, 3, "unexpected character '='; use '==' to compare values")]
    [InlineData("a & b", 1, 3, "unexpected character '&'; use '&&' for logical and")]
    [InlineData("a | b", 1, 3, "unexpected character '|'; use '||' for logical or")]
    [InlineData("0x", 1, 1, "invalid hex literal; expected hex digits after '0x'")]
    [InlineData("1u", 1, 1, "unsigned integer literals (e.g. 1u) are not supported; drop the 'u' suffix")]
    [InlineData("1e+", 1, 1, "invalid number; expected digits after the exponent 'e'")]
    [InlineData("x > 12abc", 1, 7, "unexpected character 'a' after the number 12")]
    [InlineData("99999999999999999999", 1, 1, "integer literal out of range; ints are 64-bit signed")]
    [InlineData("9223372036854775808", 1, 1, "integer literal out of range; ints are 64-bit signed")]
    [InlineData("-9223372036854775809", 1, 2, "integer literal out of range; ints are 64-bit signed")]
    [InlineData("1e999", 1, 1, "double literal out of range")]
    public void Compile_BadLiteralOrCharacter_ReportsPosition(string source, int line, int column, string detail) =>
        AssertError(source, line, column, detail);

    [Theory]
    [InlineData("foo(1)", 1, 1, "unknown function 'foo'; supported: " + Supported)]
    [InlineData("args.cabin.lower()", 1, 12, "unknown function 'lower'; supported: " + Supported)]
    [InlineData("size(1, 2)", 1, 1, "size() takes 1 argument, got 2")]
    [InlineData("'a'.contains()", 1, 5, "contains() takes 1 argument, got 0")]
    [InlineData("'a'.size(1)", 1, 5, "size() takes no arguments when called as a method, got 1")]
    [InlineData("[1].map(x)", 1, 5, "map() takes 2 or 3 arguments, got 1")]
    [InlineData("[1].all(x, x > 0, 1)", 1, 5, "all() takes 2 arguments, got 3")]
    [InlineData("t.getHours('UTC', 1)", 1, 3, "getHours() takes 0 or 1 arguments, got 2")]
    [InlineData("has()", 1, 1, "has() takes 1 argument, got 0")]
    [InlineData("contains('a', 'b')", 1, 1, "contains() is a method; call it on a value, e.g. x.contains(...)")]
    [InlineData("trim(' a ')", 1, 1, "trim() is a method; call it on a value, e.g. x.trim()")]
    [InlineData("x.int()", 1, 3, "int() is not a method; write int(x)")]
    [InlineData("[1].all(1, true)", 1, 9, "all() variable must be a simple identifier, e.g. items.all(x, x > 0)")]
    [InlineData("l.map(x.y, 1)", 1, 7, "map() variable must be a simple identifier, e.g. items.map(x, x * 2)")]
    [InlineData("has(args)", 1, 5, "has() argument must be a field selection, e.g. has(args.cabin)")]
    [InlineData("has(a['b'])", 1, 5, "has() argument must be a field selection, e.g. has(args.cabin)")]
    public void Compile_BadCall_ReportsFunctionProblem(string source, int line, int column, string detail) =>
        AssertError(source, line, column, detail);

    [Theory]
    [InlineData("duration('24x')", 1, 10, "invalid duration literal: cannot parse duration '24x'; expected a number and unit such as '24h', '1h30m', '90s' or '1.5h'")]
    [InlineData("now > timestamp('yesterday')", 1, 17, "invalid timestamp literal: cannot parse timestamp 'yesterday'; expected RFC 3339 such as '2024-05-01T12:00:00Z'")]
    public void Compile_InvalidTimeLiteral_FailsAtCompileTime(string source, int line, int column, string detail) =>
        AssertError(source, line, column, detail);

    [Fact]
    public void Compile_InvalidRegexLiteral_FailsAtPattern()
    {
        var error = Cel.ParseErrorOf("s.matches('a(b')");
        (error.Line, error.Column).ShouldBe((1, 11));
        error.Detail.ShouldStartWith("invalid regular expression 'a(b': ");
    }

    [Fact]
    public void Compile_BacktrackingOnlyRegexLiteral_IsRejected()
    {
        var error = Cel.ParseErrorOf("s.matches('(a)\\\\1')");
        (error.Line, error.Column).ShouldBe((1, 11));
        error.Detail.ShouldStartWith("invalid regular expression '(a)\\1': ");
    }

    [Fact]
    public void Compile_MultiLineExpression_ReportsLineAndColumnWithinLine() =>
        AssertError("args.amount > 100 &&\n  args.currency == 'USD' &&\n  size(args.items) > )", 3, 22, "unexpected ')'; expected an expression");

    [Fact]
    public void Compile_UnterminatedStringOnSecondLine_ReportsSecondLine() =>
        AssertError("a ||\r\n  b == 'x", 2, 8, "unterminated string literal; add the closing ' before the end of the line");

    [Fact]
    public void Compile_UnclosedParenAcrossLines_NamesOpenerPosition() =>
        AssertError("(a ||\n b", 2, 3, "unexpected end of expression; expected ')' to close the '(' at 1:1");

    [Fact]
    public void Compile_CommentAndTab_CountColumnsInCharacters() =>
        AssertError("// note\n\tfoo(1)", 2, 2, "unknown function 'foo'; supported: " + Supported);

    [Fact]
    public void Compile_FirstErrorInSourceOrder_IsReported() =>
        AssertError("a + ) == 'unterminated", 1, 5, "unexpected ')'; expected an expression");

    [Fact]
    public void Compile_DeepNesting_IsRejectedInsteadOfOverflowingStack()
    {
        var parens = Cel.ParseErrorOf(new string('(', 300) + "1" + new string(')', 300));
        parens.Detail.ShouldBe("expression is nested too deeply (more than 250 levels); split it into smaller conditions");
        var chain = Cel.ParseErrorOf(string.Join(" + ", Enumerable.Repeat("1", 300)));
        chain.Detail.ShouldBe(parens.Detail);
        var negations = Cel.ParseErrorOf(new string('!', 300) + "true");
        negations.Detail.ShouldBe(parens.Detail);
    }

    [Fact]
    public void Compile_ModeratelyDeepExpression_Compiles() =>
        Cel.Eval(string.Join(" + ", Enumerable.Repeat("1", 200))).ShouldBe(200L);

    [Fact]
    public void Message_CombinesPositionAndDetail()
    {
        var error = Cel.ParseErrorOf("args.amount >= ()");
        error.Message.ShouldBe("1:17: unexpected ')'; expected an expression");
    }

    [Fact]
    public void TryCompile_InvalidSource_ReturnsErrorInsteadOfThrowing()
    {
        CelProgram.TryCompile("a +", out CelProgram? program, out CelParseException? error).ShouldBeFalse();
        program.ShouldBeNull();
        error!.Message.ShouldBe("1:4: unexpected end of expression; expected an expression");
    }

    [Fact]
    public void TryCompile_ValidSource_ReturnsProgram()
    {
        CelProgram.TryCompile("a + 1", out CelProgram? program, out CelParseException? error).ShouldBeTrue();
        error.ShouldBeNull();
        program!.Evaluate(new CelActivation { ["a"] = 1 }).ShouldBe(2L);
    }

    private static void AssertError(string source, int line, int column, string detail)
    {
        var error = Cel.ParseErrorOf(source);
        error.Detail.ShouldBe(detail);
        (error.Line, error.Column).ShouldBe((line, column));
        error.Message.ShouldBe($"{line}:{column}: {detail}");
    }
}
