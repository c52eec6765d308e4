using Keel.Redaction;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Redaction;

public sealed class RedactionOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass() => Should.NotThrow(() => new RedactionOptions().Validate());

    [Fact]
    public void Validate_PatternThatDoesNotCompile_NamesThePattern()
    {
        var options = new RedactionOptions { Patterns = [new RedactionPattern("ok", "x"), new RedactionPattern("badge", "(\\d{6}")] };

        var ex = Should.Throw<ArgumentException>(options.Validate);

        ex.Message.ShouldContain("Patterns[1] 'badge' is not a valid regular expression");
        ex.Message.ShouldContain("(\\d{6}");
    }

    [Fact]
    public void Validate_PatternMatchingEmptyString_Refused()
    {
        var ex = Should.Throw<ArgumentException>(new RedactionOptions { Patterns = [new RedactionPattern("digits", "\\d*")] }.Validate);

        ex.Message.ShouldContain("'digits' matches the empty string");
    }

    [Theory]
    [InlineData("email", "belongs to a built-in detector")]
    [InlineData("Bad Name", "is not a label")]
    public void Validate_BadPatternName_Refused(string name, string message) =>
        Should.Throw<ArgumentException>(new RedactionOptions { Patterns = [new RedactionPattern(name, "x+")] }.Validate).Message.ShouldContain(message);

    [Fact]
    public void Validate_SameNameTwice_Refused() =>
        Should.Throw<ArgumentException>(new RedactionOptions { Patterns = [new("a", "x"), new("a", "y")] }.Validate).Message.ShouldContain("used twice");

    [Fact]
    public void Validate_BadSecretKey_Refused() =>
        Should.Throw<ArgumentException>(new RedactionOptions { SecretKeys = ["api key!"] }.Validate).Message.ShouldContain("SecretKeys holds 'api key!'");

    [Fact]
    public void Validate_TimeoutOutOfRange_Refused() =>
        Should.Throw<ArgumentException>(new RedactionOptions { PatternTimeout = TimeSpan.Zero }.Validate).Message.ShouldContain("PatternTimeout");

    [Fact]
    public void Constructor_InvalidOptions_Throws() =>
        Should.Throw<ArgumentException>(() => new Redactor(new RedactionOptions { AllowList = [""] }));
}
