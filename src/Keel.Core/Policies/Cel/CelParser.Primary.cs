namespace Keel.Policies.Cel;

/// <summary>Primary expressions, calls, list and map literals, and the parser's error messages.</summary>
internal sealed partial class CelParser
{
    private CelExpr ParsePrimary()
    {
        CelToken token = Peek;
        switch (token.Kind)
        {
            case CelTokenKind.Int:
                Advance();
                ulong value = (ulong)token.Value!;
                return value <= long.MaxValue
                    ? new CelLiteral(token.Line, token.Column, CelValue.Int((long)value))
                    : throw Error(token, "integer literal out of range; ints are 64-bit signed");
            case CelTokenKind.Double:
            case CelTokenKind.String:
                Advance();
                return new CelLiteral(token.Line, token.Column, token.Value);
            case CelTokenKind.True:
            case CelTokenKind.False:
                Advance();
                return new CelLiteral(token.Line, token.Column, CelValue.Bool(token.Kind == CelTokenKind.True));
            case CelTokenKind.Null:
                Advance();
                return new CelLiteral(token.Line, token.Column, null);
            case CelTokenKind.Identifier:
                Advance();
                return Peek.Kind == CelTokenKind.LParen
                    ? ParseGlobalCall(token)
                    : new CelIdent(token.Line, token.Column, token.Text);
            case CelTokenKind.LParen:
                Advance();
                CelExpr inner = ParseExpr();
                ExpectClose(CelTokenKind.RParen, token, "')'");
                return inner;
            case CelTokenKind.LBracket:
                return ParseList();
            case CelTokenKind.LBrace:
                return ParseMap();
            default:
                throw Unexpected(token, "an expression");
        }
    }

    private CelExpr ParseGlobalCall(CelToken name)
    {
        (List<CelExpr> args, List<CelToken> starts) = ParseArguments();
        CelFunctionCatalog.CheckGlobal(name, args.Count);
        if (name.Text != "has")
        {
            return Checked(new CelCall(name.Line, name.Column, name.Text, null, args));
        }

        return args[0] is CelSelect select
            ? Checked(new CelHas(name.Line, name.Column, select.Operand, select.Field))
            : throw Error(starts[0], "has() argument must be a field selection, e.g. has(args.cabin)");
    }

    private CelExpr ParseMethodCall(CelExpr target, CelToken name)
    {
        (List<CelExpr> args, List<CelToken> starts) = ParseArguments();
        CelFunctionCatalog.CheckMethod(name, args.Count);
        if (!CelFunctionCatalog.TryGetMacro(name.Text, out CelMacro macro))
        {
            return Checked(new CelCall(name.Line, name.Column, name.Text, target, args));
        }

        if (args[0] is not CelIdent variable)
        {
            string example = macro == CelMacro.Map ? "x, x * 2" : "x, x > 0";
            throw Error(starts[0], $"{name.Text}() variable must be a simple identifier, e.g. items.{name.Text}({example})");
        }

        CelExpr? transform = args.Count > 2 ? args[2] : null;
        return Checked(new CelComprehension(name.Line, name.Column, macro, target, variable.Name, args[1], transform));
    }

    /// <summary>Parses <c>( [expr {, expr}] )</c>, returning the arguments and the token each starts at.</summary>
    private (List<CelExpr> Args, List<CelToken> Starts) ParseArguments()
    {
        CelToken open = Advance();
        var args = new List<CelExpr>();
        var starts = new List<CelToken>();
        if (Peek.Kind == CelTokenKind.RParen)
        {
            Advance();
            return (args, starts);
        }

        while (true)
        {
            starts.Add(Peek);
            args.Add(ParseExpr());
            if (Peek.Kind != CelTokenKind.Comma)
            {
                ExpectClose(CelTokenKind.RParen, open, "',' or ')'");
                return (args, starts);
            }

            Advance();
        }
    }

    private CelListLiteral ParseList()
    {
        CelToken open = Advance();
        var items = new List<CelExpr>();
        while (Peek.Kind != CelTokenKind.RBracket)
        {
            items.Add(ParseExpr());
            if (Peek.Kind != CelTokenKind.Comma)
            {
                ExpectClose(CelTokenKind.RBracket, open, "',' or ']'");
                return Checked(new CelListLiteral(open.Line, open.Column, items));
            }

            Advance();
        }

        Advance();
        return Checked(new CelListLiteral(open.Line, open.Column, items));
    }

    private CelMapLiteral ParseMap()
    {
        CelToken open = Advance();
        var entries = new List<KeyValuePair<CelExpr, CelExpr>>();
        while (Peek.Kind != CelTokenKind.RBrace)
        {
            CelToken keyStart = Peek;
            CelExpr key = ParseExpr();
            if (key is CelLiteral { Value: not string })
            {
                throw Error(keyStart, "map keys must be strings, e.g. {'cabin': 'business'}");
            }

            if (Peek.Kind != CelTokenKind.Colon)
            {
                throw Unexpected(Peek, "':' after the map key");
            }

            Advance();
            entries.Add(new(key, ParseExpr()));
            if (Peek.Kind != CelTokenKind.Comma)
            {
                ExpectClose(CelTokenKind.RBrace, open, "',' or '}'");
                return Checked(new CelMapLiteral(open.Line, open.Column, entries));
            }

            Advance();
        }

        Advance();
        return Checked(new CelMapLiteral(open.Line, open.Column, entries));
    }

    private void ExpectClose(CelTokenKind close, CelToken open, string expected)
    {
        if (Peek.Kind != close)
        {
            throw Unexpected(Peek, $"{expected} to close the '{open.Text}' at {open.Line}:{open.Column}");
        }

        Advance();
    }

    private static T Checked<T>(T node)
        where T : CelExpr =>
        node.Depth <= CelAst.MaxDepth
            ? node
            : throw new CelParseException(node.Line, node.Column, TooDeepDetail);

    private const string TooDeepDetail = "expression is nested too deeply (more than 250 levels); split it into smaller conditions";

    private static CelParseException TooDeep(CelToken token) => Error(token, TooDeepDetail);

    private static CelParseException Error(CelToken token, string detail) => new(token.Line, token.Column, detail);

    private static CelParseException Unexpected(CelToken token, string expected)
    {
        string hint = token.Kind != CelTokenKind.Identifier ? string.Empty : token.Text switch
        {
            "and" => "; CEL writes 'and' as '&&'",
            "or" => "; CEL writes 'or' as '||'",
            "not" => "; CEL writes 'not' as '!'",
            _ => string.Empty,
        };
        return Error(token, $"unexpected {token.Describe()}; expected {expected}{hint}");
    }

    private static CelParseException Trailing(CelToken token) => token.Kind switch
    {
        CelTokenKind.RParen => Error(token, "unbalanced ')': there is no matching '('"),
        CelTokenKind.RBracket => Error(token, "unbalanced ']': there is no matching '['"),
        CelTokenKind.RBrace => Error(token, "unbalanced '}': there is no matching '{'"),
        _ => Unexpected(token, "an operator or the end of the expression"),
    };
}
