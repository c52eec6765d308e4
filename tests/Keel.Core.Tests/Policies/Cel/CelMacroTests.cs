using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Policies.Cel;

public sealed class CelMacroTests
{
    private static readonly List<object?> Numbers = [1L, 2L, 3L, 4L];

    [Theory]
    [InlineData("nums.all(n, n > 0)", true)]
    [InlineData("nums.all(n, n > 1)", false)]
    [InlineData("[].all(n, n > 1)", true)]
    [InlineData("nums.exists(n, n == 3)", true)]
    [InlineData("nums.exists(n, n == 9)", false)]
    [InlineData("[].exists(n, true)", false)]
    [InlineData("nums.exists_one(n, n > 3)", true)]
    [InlineData("nums.exists_one(n, n > 2)", false)]
    [InlineData("nums.exists_one(n, n > 9)", false)]
    public void Evaluate_Quantifier_ReturnsExpectedBool(string source, bool expected) =>
        Cel.Eval(source, ("nums", Numbers)).ShouldBe(expected);

    [Fact]
    public void Evaluate_Filter_KeepsMatchingElementsInOrder() =>
        Cel.Eval("nums.filter(n, n % 2 == 0)", ("nums", Numbers)).ShouldBeAssignableTo<IReadOnlyList<object?>>()!
            .ShouldBe([2L, 4L]);

    [Fact]
    public void Evaluate_Map_TransformsEachElement() =>
        Cel.Eval("nums.map(n, n * 10)", ("nums", Numbers)).ShouldBeAssignableTo<IReadOnlyList<object?>>()!
            .ShouldBe([10L, 20L, 30L, 40L]);

    [Fact]
    public void Evaluate_MapWithFilter_TransformsOnlyMatchingElements() =>
        Cel.Eval("nums.map(n, n > 2, n * n)", ("nums", Numbers)).ShouldBeAssignableTo<IReadOnlyList<object?>>()!
            .ShouldBe([9L, 16L]);

    [Fact]
    public void Evaluate_MacroOverMap_IteratesKeys()
    {
        var prices = new Dictionary<string, object?> { ["apple"] = 1L, ["pear"] = 3L };
        Cel.Eval("prices.all(k, k.size() >= 4)", ("prices", prices)).ShouldBe(true);
        Cel.Eval("prices.exists(k, prices[k] > 2)", ("prices", prices)).ShouldBe(true);
        Cel.Eval("prices.filter(k, prices[k] < 2)", ("prices", prices)).ShouldBeAssignableTo<IReadOnlyList<object?>>()!.ShouldBe(["apple"]);
    }

    [Theory]
    [InlineData("[[1, 2], [1]].all(row, row.exists(c, c == row.size()))", true)]
    [InlineData("[[1, 2], [3]].all(row, row.exists(c, c == row.size()))", false)]
    [InlineData("[1, 2].exists(a, [1, 2].exists(b, a != b && a + b == 3))", true)]
    public void Evaluate_NestedMacros_SeeOuterVariable(string source, bool expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Fact]
    public void Evaluate_MacroVariable_ShadowsTopLevelVariable() =>
        Cel.Eval("[1, 2].all(x, x < 5) && x == 'outer'", ("x", "outer")).ShouldBe(true);

    [Fact]
    public void Evaluate_MacroBody_ReadsTopLevelVariables() =>
        Cel.Eval("items.exists(i, i == wanted)", ("items", new List<object?> { "a", "b" }), ("wanted", "b")).ShouldBe(true);

    [Fact]
    public void Evaluate_All_FalseAbsorbsErrors() =>
        Cel.Eval("[0, 1].all(n, 10 / n > 20)").ShouldBe(false);

    [Fact]
    public void Evaluate_All_ErrorWithoutFalse_ReturnsError() =>
        Cel.ErrorOf("[0, 1].all(n, 10 / n > 0)").ShouldBe("division by zero");

    [Fact]
    public void Evaluate_Exists_TrueAbsorbsErrors() =>
        Cel.Eval("[0, 1].exists(n, 10 / n == 10)").ShouldBe(true);

    [Fact]
    public void Evaluate_Exists_ErrorWithoutTrue_ReturnsError() =>
        Cel.ErrorOf("[0, 1].exists(n, 10 / n == 3)").ShouldBe("division by zero");

    [Fact]
    public void Evaluate_ExistsOne_PropagatesErrors() =>
        Cel.ErrorOf("[1, 0].exists_one(n, 10 / n == 10)").ShouldBe("division by zero");

    [Fact]
    public void Evaluate_FilterAndMap_PropagateErrors()
    {
        Cel.ErrorOf("[1, 0].filter(n, 10 / n > 1)").ShouldBe("division by zero");
        Cel.ErrorOf("[1, 0].map(n, 10 / n)").ShouldBe("division by zero");
    }

    [Fact]
    public void Evaluate_NonBoolPredicate_ReturnsError() =>
        Cel.ErrorOf("[1].all(n, n)").ShouldBe("no such overload: all() predicate returned int, expected bool");

    [Fact]
    public void Evaluate_MacroOverScalar_ReturnsError() =>
        Cel.ErrorOf("x.exists(n, true)", ("x", 5)).ShouldBe("no such overload: exists() over int (expected a list or map)");

    [Fact]
    public void Evaluate_Has_TestsKeyPresence()
    {
        var args = new Dictionary<string, object?> { ["cabin"] = null, ["nested"] = new Dictionary<string, object?> { ["x"] = 1L } };
        Cel.Eval("has(args.cabin)", ("args", args)).ShouldBe(true);
        Cel.Eval("has(args.seat)", ("args", args)).ShouldBe(false);
        Cel.Eval("has(args.nested.x) && !has(args.nested.y)", ("args", args)).ShouldBe(true);
        Cel.Eval("has(args.seat) && args.seat == 'A1'", ("args", args)).ShouldBe(false);
    }

    [Fact]
    public void Evaluate_HasOnErroringOperand_ReturnsError()
    {
        var args = new Dictionary<string, object?>();
        Cel.ErrorOf("has(args.nested.x)", ("args", args)).ShouldBe("no such key: 'nested'");
        Cel.ErrorOf("has(missing.x)").ShouldBe("undeclared reference to 'missing'");
        Cel.ErrorOf("has(args.x)", ("args", 3)).ShouldBe("no such overload: has() cannot test field 'x' on int");
    }
}
