using System.Globalization;

namespace Keel.Policies.Cel;

/// <summary>Splits CEL source into tokens, tracking 1-based line and column; comments are <c>// ...</c> to end of line.</summary>
internal sealed class CelLexer
{
    private readonly string _source;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    /// <summary>Creates a lexer over <paramref name="source"/>; call <see cref="Next"/> for each token.</summary>
    public CelLexer(string source)
    {
        _source = source;
    }

    private char Peek(int ahead = 0) => _pos + ahead < _source.Length ? _source[_pos + ahead] : '\0';

    private int ColumnOf(int offset) => offset - _lineStart + 1;

    private CelParseException Error(int offset, string detail) => new(_line, ColumnOf(offset), detail);

    private CelToken Make(CelTokenKind kind, int start, object? value = null) =>
        new(kind, _line, ColumnOf(start), _source[start.._pos], value);

    /// <summary>Reads the next token; at the end of the source, returns <see cref="CelTokenKind.End"/> every time.</summary>
    /// <exception cref="CelParseException">The next token is an invalid character, literal or escape.</exception>
    public CelToken Next()
    {
        SkipTrivia();
        int start = _pos;
        if (_pos >= _source.Length)
        {
            return new CelToken(CelTokenKind.End, _line, ColumnOf(start), string.Empty, null);
        }

        char c = _source[_pos];
        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Peek(1))))
        {
            return LexNumber(start);
        }

        if (c is 'r' or 'R' && Peek(1) is '\'' or '"')
        {
            _pos++;
            return LexString(start, raw: true);
        }

        if (c is 'b' or 'B' && Peek(1) is '\'' or '"')
        {
            throw Error(start, "bytes literals (b'...') are not supported; use a string");
        }

        if (c is '\'' or '"')
        {
            return LexString(start, raw: false);
        }

        if (char.IsAsciiLetter(c) || c == '_')
        {
            while (char.IsAsciiLetterOrDigit(Peek()) || Peek() == '_')
            {
                _pos++;
            }

            return Make(_source[start.._pos] switch
            {
                "true" => CelTokenKind.True,
                "false" => CelTokenKind.False,
                "null" => CelTokenKind.Null,
                "in" => CelTokenKind.In,
                _ => CelTokenKind.Identifier,
            }, start);
        }

        _pos++;
        char next = Peek();
        CelTokenKind kind = c switch
        {
            '(' => CelTokenKind.LParen,
            ')' => CelTokenKind.RParen,
            '[' => CelTokenKind.LBracket,
            ']' => CelTokenKind.RBracket,
            '{' => CelTokenKind.LBrace,
            '}' => CelTokenKind.RBrace,
            '.' => CelTokenKind.Dot,
            ',' => CelTokenKind.Comma,
            ':' => CelTokenKind.Colon,
            '?' => CelTokenKind.Question,
            '+' => CelTokenKind.Plus,
            '-' => CelTokenKind.Minus,
            '*' => CelTokenKind.Star,
            '/' => CelTokenKind.Slash,
            '%' => CelTokenKind.Percent,
            '!' => next == '=' ? CelTokenKind.NotEqual : CelTokenKind.Not,
            '<' => next == '=' ? CelTokenKind.LessOrEqual : CelTokenKind.Less,
            '>' => next == '=' ? CelTokenKind.GreaterOrEqual : CelTokenKind.Greater,
            '=' when next == '=' => CelTokenKind.Equal,
            '&' when next == '&' => CelTokenKind.And,
            '|' when next == '|' => CelTokenKind.Or,
            _ => throw Error(start, UnexpectedCharacter(c)),
        };
        if (kind is CelTokenKind.NotEqual or CelTokenKind.LessOrEqual or CelTokenKind.GreaterOrEqual
            or CelTokenKind.Equal or CelTokenKind.And or CelTokenKind.Or)
        {
            _pos++;
        }

        return Make(kind, start);
    }

    private static string UnexpectedCharacter(char c) => c switch
    {
        '=' => "unexpected character '='; use '==' to compare values",
        '&' => "unexpected character '&'; use '&&' for logical and",
        '|' => "unexpected character '|'; use '||' for logical or",
        _ when char.IsControl(c) || char.IsWhiteSpace(c) => $"unexpected character U+{(int)c:X4}",
        _ => $"unexpected character '{c}'",
    };

    private void SkipTrivia()
    {
        while (_pos < _source.Length)
        {
            char c = _source[_pos];
            if (c == '\n')
            {
                _pos++;
                _line++;
                _lineStart = _pos;
            }
            else if (c is ' ' or '\t' or '\r' or '\f')
            {
                _pos++;
            }
            else if (c == '/' && Peek(1) == '/')
            {
                while (_pos < _source.Length && _source[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private CelToken LexNumber(int start)
    {
        if (Peek() == '0' && Peek(1) is 'x' or 'X')
        {
            _pos += 2;
            int digits = _pos;
            while (char.IsAsciiHexDigit(Peek()))
            {
                _pos++;
            }

            if (_pos == digits)
            {
                throw Error(start, "invalid hex literal; expected hex digits after '0x'");
            }

            if (!ulong.TryParse(_source.AsSpan(digits, _pos - digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong hex))
            {
                throw Error(start, "integer literal out of range; ints are 64-bit signed");
            }

            CheckNumberEnd(start, isDouble: false);
            return Make(CelTokenKind.Int, start, hex);
        }

        bool isDouble = false;
        SkipDigits();
        if (Peek() == '.' && char.IsAsciiDigit(Peek(1)))
        {
            isDouble = true;
            _pos++;
            SkipDigits();
        }

        if (Peek() is 'e' or 'E')
        {
            isDouble = true;
            _pos++;
            if (Peek() is '+' or '-')
            {
                _pos++;
            }

            if (!char.IsAsciiDigit(Peek()))
            {
                throw Error(start, "invalid number; expected digits after the exponent 'e'");
            }

            SkipDigits();
        }

        CheckNumberEnd(start, isDouble);
        ReadOnlySpan<char> text = _source.AsSpan(start, _pos - start);
        if (isDouble)
        {
            double d = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            return double.IsFinite(d) ? Make(CelTokenKind.Double, start, d) : throw Error(start, "double literal out of range");
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)
            ? Make(CelTokenKind.Int, start, value)
            : throw Error(start, "integer literal out of range; ints are 64-bit signed");
    }

    private void SkipDigits()
    {
        while (char.IsAsciiDigit(Peek()))
        {
            _pos++;
        }
    }

    private void CheckNumberEnd(int start, bool isDouble)
    {
        char c = Peek();
        if (c is 'u' or 'U' && !isDouble)
        {
            throw Error(start, "unsigned integer literals (e.g. 1u) are not supported; drop the 'u' suffix");
        }

        if (char.IsAsciiLetterOrDigit(c) || c == '_')
        {
            throw Error(_pos, $"unexpected character '{c}' after the number {_source[start.._pos]}");
        }
    }

    private CelToken LexString(int start, bool raw)
    {
        char quote = _source[_pos];
        if (Peek(1) == quote && Peek(2) == quote)
        {
            throw Error(start, "triple-quoted strings are not supported; use a single-line string with \\n escapes");
        }

        _pos++;
        var text = new System.Text.StringBuilder();
        while (true)
        {
            if (_pos >= _source.Length || _source[_pos] is '\n' or '\r')
            {
                throw Error(start, $"unterminated string literal; add the closing {quote} before the end of the line");
            }

            char c = _source[_pos];
            if (c == quote)
            {
                _pos++;
                return Make(CelTokenKind.String, start, text.ToString());
            }

            if (c == '\\' && !raw)
            {
                int escape = _pos;
                if (!CelEscapes.TryRead(_source, ref _pos, text, out string? problem))
                {
                    throw Error(escape, problem!);
                }
            }
            else
            {
                text.Append(c);
                _pos++;
            }
        }
    }
}
