using Keel.Policies.Cel;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Policies.Cel;

public sealed class CelProgramTests
{
    [Fact]
    public void Variables_ExcludeMacroVariablesAndFunctions()
    {
        var program = CelProgram.Compile("args.items.all(i, i.qty <= limits.max) && size(facts.x) > 0 && has(args.y)");
        program.Variables.OrderBy(v => v, StringComparer.Ordinal).ShouldBe(["args", "facts", "limits"]);
    }

    [Fact]
    public void Variables_ConstantExpression_IsEmpty() =>
        CelProgram.Compile("1 + 2 == 3").Variables.ShouldBeEmpty();

    [Fact]
    public void Source_IsTheCompiledText()
    {
        var program = CelProgram.Compile("a == 1");
        program.Source.ShouldBe("a == 1");
        program.ToString().ShouldBe("a == 1");
    }

    [Fact]
    public void Evaluate_UndeclaredVariable_ReturnsErrorValue()
    {
        var result = CelProgram.Compile("tool == 'refund'").Evaluate(new CelActivation());
        var error = result.ShouldBeOfType<CelError>();
        error.Message.ShouldBe("undeclared reference to 'tool'");
        error.ToString().ShouldBe(error.Message);
    }

    [Fact]
    public void Evaluate_VariableHoldingNull_IsNullNotUndeclared() =>
        Cel.Eval("v == null", ("v", null)).ShouldBe(true);

    [Fact]
    public void Evaluate_MissingMapKey_NamesTheKey() =>
        Cel.ErrorOf("args.cabin == 'business'", ("args", new Dictionary<string, object?> { ["seat"] = "1A" }))
            .ShouldBe("no such key: 'cabin'");

    [Fact]
    public void Evaluate_IndexWithMissingOrWrongKey_ReturnsError()
    {
        var map = new Dictionary<string, object?> { ["a"] = 1L };
        Cel.ErrorOf("m['b']", ("m", map)).ShouldBe("no such key: 'b'");
        Cel.ErrorOf("m[1]", ("m", map)).ShouldBe("no such key: 1");
        Cel.ErrorOf("5[0]").ShouldBe("no such overload: int[int]");
        Cel.ErrorOf("[1, 2][2]").ShouldBe("index out of range: 2 (list size 2)");
        Cel.Eval("[1, 2][1.0]").ShouldBe(2L);
    }

    [Fact]
    public void Evaluate_LongKeyInMessage_IsShortened() =>
        Cel.ErrorOf("m[k]", ("m", new Dictionary<string, object?>()), ("k", new string('k', 100)))
            .ShouldBe($"no such key: '{new string('k', 64)}…'");

    [Fact]
    public void Evaluate_NullActivation_Throws() =>
        Should.Throw<ArgumentNullException>(() => CelProgram.Compile("1").Evaluate(null!));

    [Fact]
    public void Compile_NullSource_Throws() =>
        Should.Throw<ArgumentNullException>(() => CelProgram.Compile(null!));

    [Fact]
    public void CelError_EmptyMessage_Throws() =>
        Should.Throw<ArgumentException>(() => new CelError(""));

    [Fact]
    public void CelActivation_FromPairs_ExposesVariables()
    {
        var activation = new CelActivation([new("a", (object?)1L), new("b", null)]);
        activation.TryGetVariable("a", out object? a).ShouldBeTrue();
        a.ShouldBe(1L);
        activation.TryGetVariable("b", out _).ShouldBeTrue();
        activation.TryGetVariable("c", out _).ShouldBeFalse();
        activation["c"].ShouldBeNull();
    }

    [Fact]
    public void Evaluate_ClrCollections_AreReadAsListsAndMaps()
    {
        Cel.Eval("l[1] == 20 && l.sum() == 30", ("l", new List<int> { 10, 20 })).ShouldBe(true);
        Cel.Eval("s.exists(x, x == 'b')", ("s", new[] { "a", "b" })).ShouldBe(true);
        Cel.Eval("m.k == 'v'", ("m", new Dictionary<string, string> { ["k"] = "v" })).ShouldBe(true);
    }

    [Fact]
    public void Evaluate_SameProgramManyThreads_GivesEachItsOwnResult()
    {
        var program = CelProgram.Compile("items.filter(i, i > n).size() == expected");
        var failures = 0;
        Parallel.For(0, 200, i =>
        {
            var items = Enumerable.Range(0, 50).Select(x => (object?)(long)x).ToList();
            var activation = new CelActivation { ["items"] = items, ["n"] = i % 50, ["expected"] = 49 - (i % 50) };
            if (!Equals(program.Evaluate(activation), true))
            {
                Interlocked.Increment(ref failures);
            }
        });
        failures.ShouldBe(0);
    }

    [Fact]
    public void Evaluate_ComparisonOnMapValues_DoesNotAllocate()
    {
        var program = CelProgram.Compile("args.amount <= 500 && args.currency == 'USD' && !(args.tool in ['delete', 'drop'])");
        var activation = new CelActivation
        {
            ["args"] = new Dictionary<string, object?> { ["amount"] = 120L, ["currency"] = "USD", ["tool"] = "refund" },
        };
        program.Evaluate(activation).ShouldBe(true);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            program.Evaluate(activation);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
    }
}
