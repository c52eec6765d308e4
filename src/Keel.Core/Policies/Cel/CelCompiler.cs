using System.Collections.Frozen;
using System.Collections.ObjectModel;

namespace Keel.Policies.Cel;

/// <summary>The output of <see cref="CelCompiler"/>: the root evaluator, the number of comprehension slots, and the top-level variables read.</summary>
internal sealed record CelCompilation(CelEvaluator Root, int SlotCount, FrozenSet<string> Variables);

/// <summary>
/// Turns a parsed expression into a tree of <see cref="CelEvaluator"/> closures, one per node, so
/// that evaluation never walks the syntax tree. Subtrees whose inputs are all literals are folded
/// into constants once, at compile time.
/// </summary>
internal sealed partial class CelCompiler
{
    private readonly HashSet<string> _variables = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, int>> _scope = [];
    private int _slotCount;

    /// <summary>Compiles a parsed expression.</summary>
    /// <exception cref="CelParseException">A regex, timestamp or duration literal is invalid.</exception>
    public static CelCompilation Compile(CelExpr root)
    {
        var compiler = new CelCompiler();
        Compiled compiled = compiler.CompileNode(root);
        return new CelCompilation(compiled.Eval, compiler._slotCount, compiler._variables.ToFrozenSet(StringComparer.Ordinal));
    }

    private Compiled CompileNode(CelExpr expr) => expr switch
    {
        CelLiteral literal => Compiled.Constant(literal.Value),
        CelIdent ident => CompileIdent(ident.Name),
        CelSelect select => CompileSelect(select),
        CelIndex index => CompileIndex(index),
        CelUnary unary => CompileUnary(unary),
        CelBinary binary => CompileBinary(binary),
        CelConditional conditional => CompileConditional(conditional),
        CelListLiteral list => CompileList(list),
        CelMapLiteral map => CompileMap(map),
        CelHas has => CompileHas(has),
        CelComprehension comprehension => CompileComprehension(comprehension),
        CelCall call => CompileCall(call),
        _ => throw new InvalidOperationException($"Unhandled CEL node {expr.GetType().Name}."),
    };

    private Compiled CompileIdent(string name)
    {
        for (int i = _scope.Count - 1; i >= 0; i--)
        {
            if (_scope[i].Key == name)
            {
                int slot = _scope[i].Value;
                return Compiled.Dynamic((_, locals) => locals[slot]);
            }
        }

        _variables.Add(name);
        var undeclared = new CelError($"undeclared reference to '{name}'");
        return Compiled.Dynamic((activation, _) =>
            activation.TryGetVariable(name, out object? value) ? CelValue.Normalize(value) : undeclared);
    }

    private Compiled CompileSelect(CelSelect select)
    {
        Compiled operand = CompileNode(select.Operand);
        CelEvaluator o = operand.Eval;
        string field = select.Field;
        byte[] utf8Field = System.Text.Encoding.UTF8.GetBytes(field);
        CelError missing = CelErrors.NoSuchKey(field);
        return Fold((a, x) => CelAccess.Select(o(a, x), field, utf8Field, missing), operand);
    }

    private Compiled CompileIndex(CelIndex index)
    {
        Compiled operand = CompileNode(index.Operand);
        Compiled key = CompileNode(index.Key);
        CelEvaluator o = operand.Eval, k = key.Eval;
        return Fold((a, x) => CelAccess.Index(o(a, x), k(a, x)), operand, key);
    }

    private Compiled CompileUnary(CelUnary unary)
    {
        Compiled operand = CompileNode(unary.Operand);
        CelEvaluator o = operand.Eval;
        return unary.Op == CelUnaryOp.Not
            ? Fold((a, x) => CelArithmetic.Not(o(a, x)), operand)
            : Fold((a, x) => CelArithmetic.Negate(o(a, x)), operand);
    }

    private Compiled CompileBinary(CelBinary binary)
    {
        Compiled left = CompileNode(binary.Left);
        Compiled right = CompileNode(binary.Right);
        if (binary.Op is CelBinaryOp.And or CelBinaryOp.Or)
        {
            return CompileLogical(left, right, binary.Op == CelBinaryOp.And);
        }

        CelEvaluator l = left.Eval, r = right.Eval;
        CelEvaluator eval = binary.Op switch
        {
            CelBinaryOp.Equal => (a, x) => CelEquality.Equal(l(a, x), r(a, x), negate: false),
            CelBinaryOp.NotEqual => (a, x) => CelEquality.Equal(l(a, x), r(a, x), negate: true),
            CelBinaryOp.Less => (a, x) => CelEquality.Relation(l(a, x), r(a, x), CelBinaryOp.Less),
            CelBinaryOp.LessOrEqual => (a, x) => CelEquality.Relation(l(a, x), r(a, x), CelBinaryOp.LessOrEqual),
            CelBinaryOp.Greater => (a, x) => CelEquality.Relation(l(a, x), r(a, x), CelBinaryOp.Greater),
            CelBinaryOp.GreaterOrEqual => (a, x) => CelEquality.Relation(l(a, x), r(a, x), CelBinaryOp.GreaterOrEqual),
            CelBinaryOp.In => (a, x) => CelAccess.In(l(a, x), r(a, x)),
            CelBinaryOp.Add => (a, x) => CelArithmetic.Add(l(a, x), r(a, x)),
            CelBinaryOp.Subtract => (a, x) => CelArithmetic.Subtract(l(a, x), r(a, x)),
            CelBinaryOp.Multiply => (a, x) => CelArithmetic.Multiply(l(a, x), r(a, x)),
            CelBinaryOp.Divide => (a, x) => CelArithmetic.Divide(l(a, x), r(a, x)),
            _ => (a, x) => CelArithmetic.Modulo(l(a, x), r(a, x)),
        };
        return Fold(eval, left, right);
    }

    /// <summary>
    /// <c>&amp;&amp;</c> and <c>||</c> with CEL's commutative error semantics: the absorbing value
    /// (false for &amp;&amp;, true for ||) on either side wins over an error or a non-bool on the other.
    /// </summary>
    private static Compiled CompileLogical(Compiled left, Compiled right, bool isAnd)
    {
        bool absorbingValue = !isAnd;
        object absorbing = CelValue.Bool(absorbingValue);
        object identity = CelValue.Bool(isAnd);
        string symbol = isAnd ? "&&" : "||";
        if ((left.IsConstant && left.Value is bool lc && lc == absorbingValue)
            || (right.IsConstant && right.Value is bool rc && rc == absorbingValue))
        {
            return Compiled.Constant(absorbing);
        }

        CelEvaluator l = left.Eval, r = right.Eval;
        return Fold(
            (a, x) =>
            {
                object? lv = l(a, x);
                if (lv is bool lb && lb == absorbingValue)
                {
                    return absorbing;
                }

                object? rv = r(a, x);
                if (rv is bool rb)
                {
                    if (rb == absorbingValue)
                    {
                        return absorbing;
                    }

                    if (lv is bool)
                    {
                        return identity;
                    }
                }

                return lv as CelError ?? rv as CelError ?? CelErrors.Binary(symbol, lv, rv);
            },
            left,
            right);
    }

    private Compiled CompileConditional(CelConditional conditional)
    {
        Compiled condition = CompileNode(conditional.Condition);
        Compiled then = CompileNode(conditional.Then);
        Compiled otherwise = CompileNode(conditional.Otherwise);
        if (condition.IsConstant && condition.Value is bool constant)
        {
            return constant ? then : otherwise;
        }

        CelEvaluator c = condition.Eval, t = then.Eval, e = otherwise.Eval;
        return Fold(
            (a, x) => c(a, x) switch
            {
                bool b => b ? t(a, x) : e(a, x),
                CelError error => error,
                var other => CelErrors.NoSuchOverload($"{CelValue.TypeName(other)} ? _ : _ (the condition must be bool)"),
            },
            condition,
            then,
            otherwise);
    }

    private Compiled CompileHas(CelHas has)
    {
        Compiled operand = CompileNode(has.Operand);
        CelEvaluator o = operand.Eval;
        string field = has.Field;
        return Fold((a, x) => CelAccess.Has(o(a, x), field), operand);
    }

    /// <summary>Evaluates <paramref name="eval"/> once now if every child is a constant; otherwise keeps it.</summary>
    private static Compiled Fold(CelEvaluator eval, params ReadOnlySpan<Compiled> children)
    {
        foreach (Compiled child in children)
        {
            if (!child.IsConstant)
            {
                return Compiled.Dynamic(eval);
            }
        }

        return Compiled.Constant(eval(EmptyActivation.Instance, []));
    }

    /// <summary>A compiled node: its evaluator, and its value when it is a compile-time constant.</summary>
    private readonly record struct Compiled(CelEvaluator Eval, bool IsConstant, object? Value)
    {
        public static Compiled Dynamic(CelEvaluator eval) => new(eval, false, null);

        public static Compiled Constant(object? value)
        {
            object? frozen = value switch
            {
                object?[] array => Array.AsReadOnly(array),
                List<object?> list => list.AsReadOnly(),
                Dictionary<string, object?> map => new ReadOnlyDictionary<string, object?>(map),
                _ => value,
            };
            return new((_, _) => frozen, true, frozen);
        }
    }

    /// <summary>The activation used while folding constants: it has no variables.</summary>
    private sealed class EmptyActivation : ICelActivation
    {
        public static readonly EmptyActivation Instance = new();

        public bool TryGetVariable(string name, out object? value)
        {
            value = null;
            return false;
        }
    }
}
