namespace Keel.Policies.Cel;

/// <summary>Binary operators, in the order of their symbols in <see cref="CelAst.Symbol(CelBinaryOp)"/>.</summary>
internal enum CelBinaryOp
{
    Or,
    And,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    In,
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
}

/// <summary>Unary operators.</summary>
internal enum CelUnaryOp
{
    Not,
    Negate,
}

/// <summary>Comprehension macros over lists and map keys.</summary>
internal enum CelMacro
{
    All,
    Exists,
    ExistsOne,
    Filter,
    Map,
}

/// <summary>Helpers shared by the parser and compiler.</summary>
internal static class CelAst
{
    /// <summary>Deepest nesting the parser accepts, as in cel-go's default recursion limit.</summary>
    public const int MaxDepth = 250;

    private static readonly string[] BinarySymbols = ["||", "&&", "==", "!=", "<", "<=", ">", ">=", "in", "+", "-", "*", "/", "%"];

    public static string Symbol(CelBinaryOp op) => BinarySymbols[(int)op];
}

/// <summary>
/// A node of the parsed expression; <see cref="Line"/> and <see cref="Column"/> are 1-based.
/// <see cref="Depth"/> is the height of the subtree, which the parser bounds by <see cref="CelAst.MaxDepth"/>
/// so that compiling and evaluating cannot overflow the stack.
/// </summary>
internal abstract class CelExpr(int line, int column, int depth)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    public int Depth { get; } = depth;

    protected static int Above(CelExpr a) => a.Depth + 1;

    protected static int Above(CelExpr a, CelExpr b) => Math.Max(a.Depth, b.Depth) + 1;

    protected static int Above(CelExpr a, CelExpr b, CelExpr? c) => Math.Max(Math.Max(a.Depth, b.Depth), c?.Depth ?? 0) + 1;

    protected static int Above(IEnumerable<CelExpr> nodes)
    {
        int max = 0;
        foreach (CelExpr node in nodes)
        {
            max = Math.Max(max, node.Depth);
        }

        return max + 1;
    }
}

internal sealed class CelLiteral(int line, int column, object? value) : CelExpr(line, column, 1)
{
    public object? Value { get; } = value;
}

internal sealed class CelIdent(int line, int column, string name) : CelExpr(line, column, 1)
{
    public string Name { get; } = name;
}

internal sealed class CelSelect(int line, int column, CelExpr operand, string field) : CelExpr(line, column, Above(operand))
{
    public CelExpr Operand { get; } = operand;

    public string Field { get; } = field;
}

internal sealed class CelIndex(int line, int column, CelExpr operand, CelExpr key) : CelExpr(line, column, Above(operand, key))
{
    public CelExpr Operand { get; } = operand;

    public CelExpr Key { get; } = key;
}

internal sealed class CelUnary(int line, int column, CelUnaryOp op, CelExpr operand) : CelExpr(line, column, Above(operand))
{
    public CelUnaryOp Op { get; } = op;

    public CelExpr Operand { get; } = operand;
}

internal sealed class CelBinary(int line, int column, CelBinaryOp op, CelExpr left, CelExpr right) : CelExpr(line, column, Above(left, right))
{
    public CelBinaryOp Op { get; } = op;

    public CelExpr Left { get; } = left;

    public CelExpr Right { get; } = right;
}

internal sealed class CelConditional(int line, int column, CelExpr condition, CelExpr then, CelExpr otherwise)
    : CelExpr(line, column, Above(condition, then, otherwise))
{
    public CelExpr Condition { get; } = condition;

    public CelExpr Then { get; } = then;

    public CelExpr Otherwise { get; } = otherwise;
}

internal sealed class CelListLiteral(int line, int column, IReadOnlyList<CelExpr> items) : CelExpr(line, column, Above(items))
{
    public IReadOnlyList<CelExpr> Items { get; } = items;
}

internal sealed class CelMapLiteral(int line, int column, IReadOnlyList<KeyValuePair<CelExpr, CelExpr>> entries)
    : CelExpr(line, column, Above(entries.Select(e => e.Key).Concat(entries.Select(e => e.Value))))
{
    public IReadOnlyList<KeyValuePair<CelExpr, CelExpr>> Entries { get; } = entries;
}

/// <summary>A call checked against <see cref="CelFunctionCatalog"/>; <see cref="Target"/> is null for global calls.</summary>
internal sealed class CelCall(int line, int column, string function, CelExpr? target, IReadOnlyList<CelExpr> args)
    : CelExpr(line, column, Math.Max(Above(args), target is null ? 0 : Above(target)))
{
    public string Function { get; } = function;

    public CelExpr? Target { get; } = target;

    public IReadOnlyList<CelExpr> Args { get; } = args;
}

/// <summary>The macro <c>has(operand.field)</c>.</summary>
internal sealed class CelHas(int line, int column, CelExpr operand, string field) : CelExpr(line, column, Above(operand))
{
    public CelExpr Operand { get; } = operand;

    public string Field { get; } = field;
}

/// <summary>A comprehension macro such as <c>range.all(variable, body)</c>; <see cref="Transform"/> is the third argument of <c>map</c>.</summary>
internal sealed class CelComprehension(int line, int column, CelMacro macro, CelExpr range, string variable, CelExpr body, CelExpr? transform)
    : CelExpr(line, column, Above(range, body, transform))
{
    public CelMacro Macro { get; } = macro;

    public CelExpr Range { get; } = range;

    public string Variable { get; } = variable;

    public CelExpr Body { get; } = body;

    public CelExpr? Transform { get; } = transform;
}
