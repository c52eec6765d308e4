using Keel.Policies.Cel;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Policies.Cel;

public sealed class CelConversionTests
{
    [Theory]
    [InlineData("int('42')", 42L)]
    [InlineData("int('-7')", -7L)]
    [InlineData("int(3.9)", 3L)]
    [InlineData("int(-3.9)", -3L)]
    [InlineData("int(5)", 5L)]
    [InlineData("int(timestamp('1970-01-02T00:00:00Z'))", 86400L)]
    public void Evaluate_Int_Converts(string source, long expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Theory]
    [InlineData("int('4.2')", "cannot convert '4.2' to int")]
    [InlineData("int('')", "cannot convert '' to int")]
    [InlineData("int(1e19)", "int() out of range: 1E+19")]
    [InlineData("int(0.0 / 0.0)", "int() out of range: NaN")]
    [InlineData("int([1])", "no such overload: int(list)")]
    [InlineData("double('abc')", "cannot convert 'abc' to double")]
    [InlineData("double(true)", "no such overload: double(bool)")]
    [InlineData("bool('yes')", "cannot convert 'yes' to bool")]
    [InlineData("string([1])", "no such overload: string(list)")]
    [InlineData("string(null)", "no such overload: string(null)")]
    public void Evaluate_InvalidConversion_ReturnsError(string source, string message) =>
        Cel.ErrorOf(source).ShouldBe(message);

    [Theory]
    [InlineData("double('2.5')", 2.5)]
    [InlineData("double('1e3')", 1000.0)]
    [InlineData("double(2)", 2.0)]
    [InlineData("double(0.25)", 0.25)]
    public void Evaluate_Double_Converts(string source, double expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Theory]
    [InlineData("string(42)", "42")]
    [InlineData("string(-1.5)", "-1.5")]
    [InlineData("string(true)", "true")]
    [InlineData("string('s')", "s")]
    [InlineData("string(timestamp('2024-05-01T12:30:00+02:00'))", "2024-05-01T10:30:00Z")]
    [InlineData("string(duration('1h30m'))", "5400s")]
    [InlineData("string(duration('1.5s'))", "1.5s")]
    [InlineData("'n=' + string(1 + 2)", "n=3")]
    [InlineData("string(1e21)", "1E+21")]
    [InlineData("string(0.1)", "0.1")]
    public void Evaluate_String_Formats(string source, string expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Theory]
    [InlineData("bool('true')", true)]
    [InlineData("bool('False')", false)]
    [InlineData("bool('1')", true)]
    [InlineData("bool('f')", false)]
    [InlineData("bool(true)", true)]
    public void Evaluate_Bool_Converts(string source, bool expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Fact]
    public void Evaluate_Dyn_ReturnsArgument() =>
        Cel.Eval("dyn(x) == 3", ("x", 3)).ShouldBe(true);

    [Fact]
    public void Evaluate_ConversionOfError_PropagatesError() =>
        Cel.ErrorOf("int(missing)").ShouldBe("undeclared reference to 'missing'");
}
