using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Policies.Cel;

public sealed class CelLogicTests
{
    [Theory]
    [InlineData("false && missing", false)]
    [InlineData("missing && false", false)]
    [InlineData("true || missing", true)]
    [InlineData("missing || true", true)]
    [InlineData("false && 1 / 0 == 1", false)]
    [InlineData("1 / 0 == 1 || true", true)]
    [InlineData("x.nope == 1 && false", false)]
    [InlineData("'str' && false", false)]
    [InlineData("true || 42", true)]
    public void Evaluate_AbsorbingOperand_WinsOverError(string source, bool expected) =>
        Cel.Eval(source, ("x", new Dictionary<string, object?>())).ShouldBe(expected);

    [Theory]
    [InlineData("true && missing")]
    [InlineData("missing && true")]
    [InlineData("false || missing")]
    [InlineData("missing || false")]
    [InlineData("missing || missing")]
    public void Evaluate_NonAbsorbingOperand_PropagatesError(string source) =>
        Cel.ErrorOf(source).ShouldBe("undeclared reference to 'missing'");

    [Theory]
    [InlineData("true && 1", "no such overload: bool && int")]
    [InlineData("'a' || false", "no such overload: string || bool")]
    [InlineData("null && null", "no such overload: null && null")]
    public void Evaluate_NonBoolOperand_ReturnsNoSuchOverload(string source, string message) =>
        Cel.ErrorOf(source).ShouldBe(message);

    [Fact]
    public void Evaluate_And_DoesNotEvaluateRightWhenLeftIsFalse()
    {
        var probe = new CountingActivation();
        CelProgramFactory("false_var && probe").Evaluate(probe).ShouldBe(false);
        probe.Lookups.ShouldBe(["false_var"]);
    }

    [Fact]
    public void Evaluate_Or_DoesNotEvaluateRightWhenLeftIsTrue()
    {
        var probe = new CountingActivation();
        CelProgramFactory("true_var || probe").Evaluate(probe).ShouldBe(true);
        probe.Lookups.ShouldBe(["true_var"]);
    }

    [Fact]
    public void Evaluate_Conditional_EvaluatesOnlyChosenBranch()
    {
        Cel.Eval("x > 0 ? 'positive' : missing", ("x", 1)).ShouldBe("positive");
        Cel.Eval("x > 0 ? missing : 'other'", ("x", 0)).ShouldBe("other");
    }

    [Fact]
    public void Evaluate_ConditionalOnNonBool_ReturnsError()
    {
        Cel.ErrorOf("x ? 1 : 2", ("x", 1)).ShouldBe("no such overload: int ? _ : _ (the condition must be bool)");
        Cel.ErrorOf("missing ? 1 : 2").ShouldBe("undeclared reference to 'missing'");
    }

    private static Keel.Policies.Cel.CelProgram CelProgramFactory(string source) => Keel.Policies.Cel.CelProgram.Compile(source);

    /// <summary>Records which variables are read; names ending in _var hold the bool their prefix names.</summary>
    private sealed class CountingActivation : Keel.Policies.Cel.ICelActivation
    {
        public List<string> Lookups { get; } = [];

        public bool TryGetVariable(string name, out object? value)
        {
            Lookups.Add(name);
            value = name == "true_var";
            return true;
        }
    }
}
