namespace Keel.Policies.Cel;

/// <summary>A name an expression reads, at its 1-based position in the expression: a free variable (<see cref="Field"/> null), or a
/// constant field of one (<c>args.passengers</c>, <c>has(args.passengers)</c>, <c>args['passengers']</c>).</summary>
/// <param name="Variable">The variable, e.g. <c>args</c>.</param>
/// <param name="Field">The field read from it, or <see langword="null"/> for the variable itself.</param>
/// <param name="Line">1-based line of the name in the expression.</param>
/// <param name="Column">1-based column of the name in the expression.</param>
internal sealed record CelReference(string Variable, string? Field, int Line, int Column);

/// <summary>Lists the free variables an expression reads and the constant fields it reads of them, for the policy linter. Loop variables
/// of comprehension macros (<c>x</c> in <c>list.all(x, …)</c>) are bound, not free, and so are not listed.</summary>
internal static class CelReferences
{
    /// <summary>The references of <paramref name="source"/>, in the order of the syntax tree.</summary>
    /// <exception cref="CelParseException">The expression does not parse (compile it first).</exception>
    public static IReadOnlyList<CelReference> Find(string source)
    {
        var found = new List<CelReference>();
        Walk(CelParser.Parse(source), [], found);
        return found;
    }

    private static void Walk(CelExpr? expr, List<string> bound, List<CelReference> found)
    {
        switch (expr)
        {
            case null or CelLiteral:
                return;
            case CelIdent ident:
                if (!bound.Contains(ident.Name))
                {
                    found.Add(new CelReference(ident.Name, null, ident.Line, ident.Column));
                }

                return;
            case CelSelect select:
                Field(select.Operand, select.Field, select.Line, select.Column, bound, found);
                return;
            case CelHas has:
                Field(has.Operand, has.Field, has.Line, has.Column, bound, found);
                return;
            case CelIndex { Key: CelLiteral { Value: string key } } index:
                Field(index.Operand, key, index.Key.Line, index.Key.Column, bound, found);
                return;
            case CelIndex index:
                Walk(index.Operand, bound, found);
                Walk(index.Key, bound, found);
                return;
            case CelUnary unary:
                Walk(unary.Operand, bound, found);
                return;
            case CelBinary binary:
                Walk(binary.Left, bound, found);
                Walk(binary.Right, bound, found);
                return;
            case CelConditional conditional:
                Walk(conditional.Condition, bound, found);
                Walk(conditional.Then, bound, found);
                Walk(conditional.Otherwise, bound, found);
                return;
            case CelListLiteral list:
                list.Items.ToList().ForEach(i => Walk(i, bound, found));
                return;
            case CelMapLiteral map:
                foreach (var (key, value) in map.Entries)
                {
                    Walk(key, bound, found);
                    Walk(value, bound, found);
                }

                return;
            case CelCall call:
                Walk(call.Target, bound, found);
                call.Args.ToList().ForEach(a => Walk(a, bound, found));
                return;
            case CelComprehension comprehension:
                Walk(comprehension.Range, bound, found);
                bound.Add(comprehension.Variable);
                Walk(comprehension.Body, bound, found);
                Walk(comprehension.Transform, bound, found);
                bound.RemoveAt(bound.Count - 1);
                return;
            default:
                throw new InvalidOperationException($"Unhandled CEL node {expr.GetType().Name}.");
        }
    }

    /// <summary>A field read of a free variable is listed with the variable; any other operand is walked.</summary>
    private static void Field(CelExpr operand, string field, int line, int column, List<string> bound, List<CelReference> found)
    {
        if (operand is CelIdent ident && !bound.Contains(ident.Name))
        {
            found.Add(new CelReference(ident.Name, null, ident.Line, ident.Column));
            found.Add(new CelReference(ident.Name, field, line, column));
            return;
        }

        Walk(operand, bound, found);
    }
}
