namespace Keel.Policies.Cel;

/// <summary>
/// A recursive-descent parser for the CEL grammar subset, with CEL's precedence (lowest first):
/// <c>?:</c>, <c>||</c>, <c>&amp;&amp;</c>, relations (<c>== != &lt; &lt;= &gt; &gt;= in</c>),
/// <c>+ -</c>, <c>* / %</c>, unary <c>! -</c>, then member access, indexing and calls.
/// Tokens are read on demand, so the first error in source order is the one reported.
/// </summary>
internal sealed partial class CelParser
{
    private readonly CelLexer _lexer;
    private readonly List<CelToken> _tokens = [];
    private int _index;
    private int _depth;

    private CelParser(string source)
    {
        _lexer = new CelLexer(source);
    }

    private CelToken Peek => PeekAt(0);

    /// <summary>Parses a whole expression.</summary>
    /// <exception cref="CelParseException">The expression is not valid in the supported subset.</exception>
    public static CelExpr Parse(string source)
    {
        var parser = new CelParser(source);
        CelExpr expr = parser.ParseExpr();
        CelToken end = parser.Peek;
        return end.Kind == CelTokenKind.End ? expr : throw Trailing(end);
    }

    private CelToken PeekAt(int ahead)
    {
        while (_tokens.Count <= _index + ahead)
        {
            if (_tokens.Count > 0 && _tokens[^1].Kind == CelTokenKind.End)
            {
                return _tokens[^1];
            }

            _tokens.Add(_lexer.Next());
        }

        return _tokens[_index + ahead];
    }

    private CelToken Advance()
    {
        CelToken token = Peek;
        if (token.Kind != CelTokenKind.End)
        {
            _index++;
        }

        return token;
    }

    private CelExpr ParseExpr()
    {
        if (++_depth > CelAst.MaxDepth)
        {
            throw TooDeep(Peek);
        }

        CelExpr result = ParseOr();
        if (Peek.Kind == CelTokenKind.Question)
        {
            CelToken question = Advance();
            CelExpr then = ParseOr();
            if (Peek.Kind != CelTokenKind.Colon)
            {
                throw Unexpected(Peek, $"':' to complete the conditional '?' at {question.Line}:{question.Column}");
            }

            Advance();
            CelExpr otherwise = ParseExpr();
            result = Checked(new CelConditional(question.Line, question.Column, result, then, otherwise));
        }

        _depth--;
        return result;
    }

    private CelExpr ParseOr()
    {
        CelExpr left = ParseAnd();
        while (Peek.Kind == CelTokenKind.Or)
        {
            CelToken op = Advance();
            left = Checked(new CelBinary(op.Line, op.Column, CelBinaryOp.Or, left, ParseAnd()));
        }

        return left;
    }

    private CelExpr ParseAnd()
    {
        CelExpr left = ParseRelation();
        while (Peek.Kind == CelTokenKind.And)
        {
            CelToken op = Advance();
            left = Checked(new CelBinary(op.Line, op.Column, CelBinaryOp.And, left, ParseRelation()));
        }

        return left;
    }

    private CelExpr ParseRelation()
    {
        CelExpr left = ParseAddition();
        while (Peek.Kind switch
        {
            CelTokenKind.Equal => CelBinaryOp.Equal,
            CelTokenKind.NotEqual => CelBinaryOp.NotEqual,
            CelTokenKind.Less => CelBinaryOp.Less,
            CelTokenKind.LessOrEqual => CelBinaryOp.LessOrEqual,
            CelTokenKind.Greater => CelBinaryOp.Greater,
            CelTokenKind.GreaterOrEqual => CelBinaryOp.GreaterOrEqual,
            CelTokenKind.In => CelBinaryOp.In,
            _ => (CelBinaryOp?)null,
        } is { } relation)
        {
            CelToken op = Advance();
            left = Checked(new CelBinary(op.Line, op.Column, relation, left, ParseAddition()));
        }

        return left;
    }

    private CelExpr ParseAddition()
    {
        CelExpr left = ParseMultiplication();
        while (Peek.Kind is CelTokenKind.Plus or CelTokenKind.Minus)
        {
            CelToken op = Advance();
            CelBinaryOp kind = op.Kind == CelTokenKind.Plus ? CelBinaryOp.Add : CelBinaryOp.Subtract;
            left = Checked(new CelBinary(op.Line, op.Column, kind, left, ParseMultiplication()));
        }

        return left;
    }

    private CelExpr ParseMultiplication()
    {
        CelExpr left = ParseUnary();
        while (Peek.Kind is CelTokenKind.Star or CelTokenKind.Slash or CelTokenKind.Percent)
        {
            CelToken op = Advance();
            CelBinaryOp kind = op.Kind switch
            {
                CelTokenKind.Star => CelBinaryOp.Multiply,
                CelTokenKind.Slash => CelBinaryOp.Divide,
                _ => CelBinaryOp.Modulo,
            };
            left = Checked(new CelBinary(op.Line, op.Column, kind, left, ParseUnary()));
        }

        return left;
    }

    private CelExpr ParseUnary()
    {
        if (Peek.Kind is not (CelTokenKind.Not or CelTokenKind.Minus))
        {
            return ParseMember();
        }

        var ops = new List<CelToken>();
        while (Peek.Kind is CelTokenKind.Not or CelTokenKind.Minus)
        {
            ops.Add(Advance());
        }

        int last = ops.Count - 1;
        CelExpr operand;
        if (ops[last].Kind == CelTokenKind.Minus && Peek.Kind is CelTokenKind.Int or CelTokenKind.Double
            && PeekAt(1).Kind is not (CelTokenKind.Dot or CelTokenKind.LBracket))
        {
            operand = NegativeLiteral(ops[last], Advance());
            last--;
        }
        else
        {
            operand = ParseMember();
        }

        for (int i = last; i >= 0; i--)
        {
            CelUnaryOp op = ops[i].Kind == CelTokenKind.Not ? CelUnaryOp.Not : CelUnaryOp.Negate;
            operand = Checked(new CelUnary(ops[i].Line, ops[i].Column, op, operand));
        }

        return operand;
    }

    private static CelLiteral NegativeLiteral(CelToken minus, CelToken literal)
    {
        if (literal.Value is double d)
        {
            return new CelLiteral(minus.Line, minus.Column, -d);
        }

        ulong value = (ulong)literal.Value!;
        return value <= (ulong)long.MaxValue + 1
            ? new CelLiteral(minus.Line, minus.Column, CelValue.Int(unchecked(-(long)value)))
            : throw Error(literal, "integer literal out of range; ints are 64-bit signed");
    }

    private CelExpr ParseMember()
    {
        CelExpr expr = ParsePrimary();
        while (true)
        {
            if (Peek.Kind == CelTokenKind.Dot)
            {
                Advance();
                CelToken name = Peek;
                if (name.Kind != CelTokenKind.Identifier)
                {
                    throw Unexpected(name, "a field or method name after '.'");
                }

                Advance();
                expr = Peek.Kind == CelTokenKind.LParen
                    ? ParseMethodCall(expr, name)
                    : Checked(new CelSelect(name.Line, name.Column, expr, name.Text));
            }
            else if (Peek.Kind == CelTokenKind.LBracket)
            {
                CelToken open = Advance();
                CelExpr key = ParseExpr();
                ExpectClose(CelTokenKind.RBracket, open, "']'");
                expr = Checked(new CelIndex(open.Line, open.Column, expr, key));
            }
            else
            {
                return expr;
            }
        }
    }
}
