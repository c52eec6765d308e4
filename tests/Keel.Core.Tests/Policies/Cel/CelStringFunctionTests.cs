using Keel.Policies.Cel;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Policies.Cel;

public sealed class CelStringFunctionTests
{
    [Theory]
    [InlineData("size('hello')", 5L)]
    [InlineData("'hello'.size()", 5L)]
    [InlineData("size('')", 0L)]
    [InlineData("size('été')", 3L)]
    [InlineData("size('a\\U0001F600b')", 3L)]
    [InlineData("size([1, 2, 3])", 3L)]
    [InlineData("[1, 2].size()", 2L)]
    [InlineData("size({'a': 1, 'b': 2})", 2L)]
    public void Evaluate_Size_CountsCodePointsElementsAndEntries(string source, long expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Fact]
    public void Evaluate_SizeOfInt_ReturnsError() =>
        Cel.ErrorOf("size(5)").ShouldBe("no such overload: size(int)");

    [Theory]
    [InlineData("'refund request'.contains('fund')", true)]
    [InlineData("'refund request'.contains('Fund')", false)]
    [InlineData("'refund'.startsWith('ref')", true)]
    [InlineData("'refund'.startsWith('fund')", false)]
    [InlineData("'report.pdf'.endsWith('.pdf')", true)]
    [InlineData("'report.pdf'.endsWith('.PDF')", false)]
    [InlineData("''.contains('')", true)]
    public void Evaluate_SubstringFunctions_AreOrdinal(string source, bool expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Fact]
    public void Evaluate_ContainsOnNonString_ReturnsError()
    {
        Cel.ErrorOf("x.contains('a')", ("x", 5)).ShouldBe("no such overload: int.contains(string)");
        Cel.ErrorOf("'abc'.startsWith(1)").ShouldBe("no such overload: string.startsWith(int)");
    }

    [Theory]
    [InlineData("'ABC-123'.matches('^[A-Z]{3}-[0-9]+$')", true)]
    [InlineData("'abc-123'.matches('^[A-Z]{3}-[0-9]+$')", false)]
    [InlineData("'order 42 shipped'.matches('[0-9]+')", true)]
    [InlineData("'Hello'.matches('(?i)^hello$')", true)]
    public void Evaluate_MatchesLiteralPattern_SearchesString(string source, bool expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Fact]
    public void Evaluate_MatchesDynamicPattern_CompilesAtEvaluation()
    {
        Cel.Eval("email.matches(pattern)", ("email", "a@b.com"), ("pattern", "@b\\.com$")).ShouldBe(true);
        Cel.ErrorOf("email.matches(pattern)", ("email", "a@b.com"), ("pattern", "(")).ShouldStartWith("invalid regular expression '(': ");
    }

    [Fact]
    public void Evaluate_MatchesOnNonString_ReturnsError() =>
        Cel.ErrorOf("x.matches('a')", ("x", 1)).ShouldBe("no such overload: int.matches(string)");

    [Fact]
    public void Evaluate_MatchesCatastrophicPattern_FinishesInLinearTime() =>
        Cel.Eval("s.matches('^(a+)+$')", ("s", new string('a', 5000) + "!")).ShouldBe(false);

    [Theory]
    [InlineData("'HeLLo World'.lowerAscii()", "hello world")]
    [InlineData("'HeLLo World'.upperAscii()", "HELLO WORLD")]
    [InlineData("'ÉCOLE'.lowerAscii()", "École")]
    [InlineData("'  padded \\t\\n'.trim()", "padded")]
    [InlineData("'already'.lowerAscii()", "already")]
    public void Evaluate_CaseAndTrim_TransformAsciiOnly(string source, string expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Theory]
    [InlineData("'hello world'.indexOf('o')", 4L)]
    [InlineData("'hello world'.lastIndexOf('o')", 7L)]
    [InlineData("'hello'.indexOf('z')", -1L)]
    [InlineData("'été x'.indexOf('x')", 4L)]
    public void Evaluate_StringIndexOf_CountsCodePoints(string source, long expected) =>
        Cel.Eval(source).ShouldBe(expected);
}
